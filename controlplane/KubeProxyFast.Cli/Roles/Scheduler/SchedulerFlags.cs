using System.CommandLine;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.Leading;
using KubeProxyFast.Client;
using KubeProxyFast.Scheduler;

namespace KubeProxyFast.Cli.Roles.Scheduler;

/// <summary>
/// The flags of the scheduler role, kube-scheduler's: the <c>--leader-elect*</c> flags,
/// <c>--bind-address</c>/<c>--secure-port</c> (10259) and, alone, <c>--kubeconfig</c>/<c>--master</c>.
/// In <c>kpf server</c> it reaches the apiserver of the same process and its port flag is
/// <c>--scheduler-secure-port</c>. Its other settings are kube-scheduler's defaults (a configuration
/// file would set them in Kubernetes; none is read yet).
/// </summary>
internal sealed class SchedulerFlags : IRoleFlags
{
    /// <summary>kube-scheduler's secure port.</summary>
    public const int DefaultPort = 10259;

    private readonly LeaderElectionFlags _election;
    private readonly ApiServerClientFlags? _apiServer;
    private readonly StatusFlags _status;

    /// <summary>The flags of <c>kpf scheduler</c> (<paramref name="alone"/>) or of the scheduler in <c>kpf server</c>.</summary>
    /// <param name="election">The command's <c>--leader-elect*</c> flags, shared with the controller manager in <c>kpf server</c>.</param>
    /// <param name="alone">True for <c>kpf scheduler</c>: the apiserver from <c>--kubeconfig</c>/<c>--master</c>.</param>
    public SchedulerFlags(LeaderElectionFlags election, bool alone)
    {
        _election = election;
        _apiServer = alone ? new ApiServerClientFlags("list+watch of pods and nodes, bindings, events") : null;
        _status = alone ? new StatusFlags("--bind-address", "--secure-port", DefaultPort) : new StatusFlags(null, "--scheduler-secure-port", DefaultPort);
    }

    /// <inheritdoc/>
    public void AddTo(Command command)
    {
        _apiServer?.AddTo(command);
        _election.AddTo(command);
        _status.AddTo(command);
    }

    /// <inheritdoc/>
    public IRole Bind(ParseResult parse) => _apiServer is null
        ? throw new InvalidOperationException("in kpf server the scheduler reaches the apiserver role: bind it with that role's client")
        : Bind(parse, _apiServer.Connect(parse));

    /// <summary>The role, reaching the apiserver through <paramref name="connect"/>.</summary>
    public SchedulerRole Bind(ParseResult parse, Func<KubeClient> connect) =>
        new(new SchedulerOptions(), new LeadingRoleSettings(connect, _election.Bind(parse), _status.Bind(parse), _status.PortFlag));
}
