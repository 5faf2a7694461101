using System.CommandLine;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.Scheduler;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf scheduler --kubeconfig FILE</c>: the scheduler role alone (<see cref="SchedulerRole"/>,
/// its flags in <see cref="SchedulerFlags"/>).
/// </summary>
internal static class SchedulerCommand
{
    public static Command Create() => RoleCommand.Create("scheduler",
        "Run the scheduler against an apiserver (--kubeconfig, --master): binds each pending pod of default-scheduler to a node " +
        "that fits it, while this instance holds the Lease kube-system/kube-scheduler (--leader-elect). /healthz and /metrics on --secure-port.",
        new SchedulerFlags(new LeaderElectionFlags(), alone: true));
}
