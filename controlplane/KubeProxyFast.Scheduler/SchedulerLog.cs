using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Scheduler;

internal static partial class SchedulerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Scheduler {Name} started: {Nodes} nodes, {Pods} pods pending")]
    public static partial void Started(ILogger logger, string name, int nodes, int pods);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Unable to schedule pod {Pod}: {Reason}")]
    public static partial void Unschedulable(ILogger logger, string pod, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Binding pod {Pod} to node {Node} failed; retrying after backoff")]
    public static partial void BindFailed(ILogger logger, string pod, string node, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Writing the PodScheduled condition of {Pod} failed")]
    public static partial void StatusFailed(ILogger logger, string pod, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Assumed pods expired without being seen bound: {Count}")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Scheduling cycle of pod {Pod} failed")]
    public static partial void CycleFailed(ILogger logger, string pod, Exception exception);
}
