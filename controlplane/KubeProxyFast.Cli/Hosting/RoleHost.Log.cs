using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli.Hosting;

internal sealed partial class RoleHost
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "starting {Role}")]
    private static partial void LogStarting(ILogger logger, string role);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "ready: {Roles}")]
    private static partial void LogReady(ILogger logger, string roles);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{Role} failed: {Error}; stopping")]
    private static partial void LogFailed(ILogger logger, string role, string error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "{Role} failed to start")]
    private static partial void LogUnexpected(ILogger logger, string role, Exception error);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "stopping {Count} role(s) within {Seconds} s")]
    private static partial void LogStoppingAll(ILogger logger, int count, double seconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Role} stopped in {Milliseconds:F0} ms")]
    private static partial void LogStopped(ILogger logger, string role, double milliseconds);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Role} did not stop: the stop deadline {When}; abandoned after {Seconds:F1} s")]
    private static partial void LogAbandoned(ILogger logger, string role, double seconds, string when);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{Role} was slow to stop: cut short at the stop deadline after {Seconds:F1} s")]
    private static partial void LogCutShort(ILogger logger, string role, double seconds);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "{Role} failed to stop")]
    private static partial void LogStopFailed(ILogger logger, string role, Exception error);
}
