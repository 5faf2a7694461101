using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Pods;

internal static partial class PodsLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Sync of pod {namespace}/{pod} failed; retrying in {Delay}")]
    public static partial void SyncFailed(ILogger logger, string? @namespace, string? pod, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Pod {namespace}/{pod}: created sandbox {SandboxId} (attempt {Attempt})")]
    public static partial void SandboxCreated(ILogger logger, string? @namespace, string? pod, string sandboxId, uint attempt);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Pod {namespace}/{pod}: started container {Container} {ContainerId} (attempt {Attempt})")]
    public static partial void ContainerStarted(ILogger logger, string? @namespace, string? pod, string container, string containerId, uint attempt);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Pod {namespace}/{pod}: stopping container {Container} {ContainerId} with grace period {GraceSeconds}s ({Why})")]
    public static partial void StoppingContainer(ILogger logger, string? @namespace, string? pod, string container, string containerId, long graceSeconds, string why);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Pod {namespace}/{pod}: container {Container} waits: {Reason}: {Message}")]
    public static partial void ContainerWaiting(ILogger logger, string? @namespace, string? pod, string container, string reason, string? message);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Pod uid {Uid} is gone: removing its sandboxes and containers")]
    public static partial void RemovingPod(ILogger logger, string uid);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Adopted {Count} pods from the runtime; removing {Orphans} whose pods are gone")]
    public static partial void Adopted(ILogger logger, int count, int orphans);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Could not remove cgroup {Path}")]
    public static partial void CgroupRemoveFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Pod {namespace}/{pod}: status sink failed")]
    public static partial void SinkFailed(ILogger logger, string? @namespace, string? pod, Exception exception);
}
