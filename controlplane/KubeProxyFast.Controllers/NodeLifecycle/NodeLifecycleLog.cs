using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.NodeLifecycle;

internal static partial class NodeLifecycleLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Node {Node} hasn't been updated for {Silent} (grace period {Grace}): marking its conditions Unknown")]
    public static partial void NodeSilent(ILogger logger, string node, TimeSpan silent, TimeSpan grace);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Updating the health of node {Node} failed; retried at the next pass")]
    public static partial void HealthUpdateFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The node health pass failed; retried at the next pass")]
    public static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Controller detected that all Nodes are not-Ready. Entering master disruption mode")]
    public static partial void EnteringFullDisruption(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Controller detected that some Nodes are Ready. Exiting master disruption mode")]
    public static partial void ExitingFullDisruption(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Controller detected that zone {Zone} is now in state {State}")]
    public static partial void ZoneStateChanged(ILogger logger, string zone, ZoneState state);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Evicting the pods of node {Node}: unhealthy since {Since}")]
    public static partial void QueuedForEviction(ILogger logger, string node, DateTimeOffset since);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Cancelling the pod eviction of node {Node}")]
    public static partial void EvictionCancelled(ILogger logger, string node);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Deleting the pods of node {Node} failed; retrying")]
    public static partial void EvictionFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Updating the ready status of pod {Namespace}/{Pod} to false: node {Node} is not ready")]
    public static partial void MarkingPodNotReady(ILogger logger, string @namespace, string pod, string node);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Marking the pods of node {Node} not ready failed; retried at the next pass")]
    public static partial void MarkPodsFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Updating the taints of node {Node} failed; retried at the next pass")]
    public static partial void TaintsFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Pods of node {Node} awaiting deletion due to controller eviction")]
    public static partial void PodsAwaitingDeletion(ILogger logger, string node);
}
