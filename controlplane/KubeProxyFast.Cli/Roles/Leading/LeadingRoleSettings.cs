using System.Net;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Client;

namespace KubeProxyFast.Cli.Roles.Leading;

/// <summary>What every leader-elected role is configured with.</summary>
/// <param name="Connect">Makes the client of the apiserver, when the role starts (from <c>--kubeconfig</c>/<c>--master</c>, or the in-process apiserver of <c>kpf server</c>).</param>
/// <param name="Election">The <c>--leader-elect*</c> settings.</param>
/// <param name="StatusAddress">Where <c>/healthz</c> and <c>/metrics</c> are served.</param>
/// <param name="StatusFlag">The flag of that port, named when it cannot be bound.</param>
internal sealed record LeadingRoleSettings(Func<KubeClient> Connect, LeaderElectionSettings Election, IPEndPoint StatusAddress, string StatusFlag);
