using System.Globalization;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>
/// Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. STATUS is
/// printPod's reason: the phase, overridden by the pod's reason, then by the last non-running
/// container's waiting or terminated reason, and <c>Terminating</c> once deletion was requested.
/// </summary>
internal sealed class PodTable : KindTable<Pod>
{
    // node.NodeUnreachablePodReason: a pod on a lost node that is being deleted shows Unknown.
    private const string NodeLostReason = "NodeLost";

    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Text("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        Column.Text("Status", "The aggregate status of the containers in this pod."),
        Column.Integer("Restarts", "The number of times the containers in this pod have been restarted."),
        Column.Age,
        Column.Wide("IP", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
        Column.Wide("Node", "NodeName is a request to schedule this pod onto a specific node."),
        Column.Wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node."),
        Column.Wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness."),
    ];

    /// <inheritdoc />
    public override string Resource => "pods";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(Pod obj, DateTimeOffset now)
    {
        var statuses = obj.Status?.ContainerStatuses ?? [];
        var reason = string.IsNullOrEmpty(obj.Status?.Reason) ? obj.Status?.Phase ?? "" : obj.Status.Reason;
        long restarts = 0;
        var ready = 0;
        var hasRunning = false;

        // Backwards, so the first container's reason wins, as in printPod. Init containers are not
        // modelled here, so the Init:… states never occur.
        for (var i = statuses.Count - 1; i >= 0; i--)
        {
            var container = statuses[i];
            restarts += container.RestartCount;
            var state = container.State;
            if (!string.IsNullOrEmpty(state?.Waiting?.Reason))
            {
                reason = state.Waiting.Reason;
            }
            else if (state?.Terminated is { } terminated)
            {
                reason = TerminatedReason(terminated);
            }
            else if (container.Ready && state?.Running is not null)
            {
                hasRunning = true;
                ready++;
            }
        }

        // A completed container beside a running one: the pod is still serving (or not).
        if (reason == "Completed" && hasRunning)
        {
            reason = HasReadyCondition(obj) ? PodPhases.Running : "NotReady";
        }

        if (obj.Metadata.DeletionTimestamp is not null)
        {
            reason = obj.Status?.Reason == NodeLostReason ? PodPhases.Unknown : "Terminating";
        }

        var total = obj.Spec?.Containers?.Count ?? 0;
        return
        [
            obj.Metadata.Name ?? "",
            ready.ToString(CultureInfo.InvariantCulture) + "/" + total.ToString(CultureInfo.InvariantCulture),
            reason,
            Cell.Integer(restarts),
            Cell.Age(obj.Metadata.CreationTimestamp, now),
            Cell.OrNone(PodIP(obj.Status)),
            Cell.OrNone(obj.Spec?.NodeName),
            // The model has no nominatedNodeName or readinessGates: our scheduler never preempts.
            Cell.None,
            Cell.None,
        ];
    }

    private static string TerminatedReason(ContainerStateTerminated terminated)
    {
        if (!string.IsNullOrEmpty(terminated.Reason))
        {
            return terminated.Reason;
        }

        return terminated.Signal is { } signal and not 0
            ? "Signal:" + signal.ToString(CultureInfo.InvariantCulture)
            : "ExitCode:" + terminated.ExitCode.ToString(CultureInfo.InvariantCulture);
    }

    private static bool HasReadyCondition(Pod pod) =>
        pod.Status?.Conditions?.Exists(c => c.Type == PodConditionTypes.Ready && c.Status == ConditionStatuses.True) == true;

    // Kubernetes prints podIPs[0]; v1 clients may have set only podIP.
    private static string? PodIP(PodStatus? status) =>
        status?.PodIPs is [{ Ip: { Length: > 0 } first }, ..] ? first : status?.PodIP;
}
