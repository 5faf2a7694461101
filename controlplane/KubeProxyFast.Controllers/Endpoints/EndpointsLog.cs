using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.Endpoints;

internal static partial class EndpointsLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting endpoint controller with {Workers} workers")]
    public static partial void Starting(ILogger logger, int workers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Shutting down endpoint controller")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Error syncing endpoints for service {Key} (retry {Retries}), retrying")]
    public static partial void SyncFailed(ILogger logger, string key, int retries, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Update endpoints for service {Key}: {Addresses} addresses in {Subsets} subsets")]
    public static partial void Writing(ILogger logger, string key, int addresses, int subsets);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Deleted endpoints of deleted service {Key}")]
    public static partial void Deleted(ILogger logger, string key);
}
