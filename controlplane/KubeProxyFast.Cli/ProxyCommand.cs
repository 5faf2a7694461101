using System.CommandLine;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.Proxy;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf proxy --config services.yaml</c>: the kube-proxy role alone (<see cref="ProxyRole"/>, its
/// flags in <see cref="ProxyFlags"/>), serving the Services and Endpoints of a file and following
/// its changes, until SIGINT or SIGTERM.
/// </summary>
internal static class ProxyCommand
{
    public static Command Create() => RoleCommand.Create("proxy",
        "Run kube-proxy standalone: serve the Services and Endpoints of a file. In direct mode each service port listens " +
        "on clusterIP:port, every externalIP:port and 0.0.0.0:nodePort and no netfilter rules are written; in userspace " +
        "and kernel mode the rules live in the nf_tables table ip kpf.",
        new ProxyFlags());
}
