using System.CommandLine;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.ControllerManager;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf controller-manager --kubeconfig FILE</c>: the controller manager role alone
/// (<see cref="ControllerManagerRole"/>, its flags in <see cref="ControllerManagerFlags"/>).
/// </summary>
internal static class ControllerManagerCommand
{
    public static Command Create() => RoleCommand.Create("controller-manager",
        "Run the controller manager against an apiserver (--kubeconfig, --master): the control loops that make the cluster " +
        "match its objects (replication controllers, endpoints, nodes, garbage collection), while this instance holds the " +
        "Lease kube-system/kube-controller-manager (--leader-elect). /healthz and /metrics on --secure-port.",
        new ControllerManagerFlags(new LeaderElectionFlags(), alone: true));
}
