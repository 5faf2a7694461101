using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.Replication;

internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting replication manager with {Workers} workers")]
    public static partial void Starting(ILogger logger, int workers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Replication manager stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Sync of replication controller {Key} failed; retrying with backoff")]
    public static partial void SyncFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Too few replicas for {Key}: need {Replicas}, creating {Count}")]
    public static partial void TooFew(ILogger logger, string key, int replicas, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Too many replicas for {Key}: need {Replicas}, deleting {Count}")]
    public static partial void TooMany(ILogger logger, string key, int replicas, int count);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Slow-start failure for {Key}: skipping the creation of {Skipped} pods, decrementing expectations")]
    public static partial void SlowStartSkipped(ILogger logger, string key, int skipped);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Status update of {Key} failed; reading it again to retry once")]
    public static partial void StatusRetry(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "User error: {Count} replication controllers select the labels of pod {Pod}")]
    public static partial void SeveralControllersMatch(ILogger logger, string pod, int count);
}
