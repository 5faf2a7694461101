using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Client.Informers;

internal static partial class InformerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "informer of {Kind}: list or watch failed, retrying in {Delay}")]
    public static partial void Failed(ILogger logger, string kind, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "informer of {Kind}: resourceVersion {Version} is too old, relisting")]
    public static partial void Relisting(ILogger logger, string kind, string? version);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "informer of {Kind}: a handler failed on {Key}")]
    public static partial void HandlerFailed(ILogger logger, string kind, string key, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "informer of {Kind}: a handler is {Capacity} notifications behind; it will be caught up with the cache's difference once it has handled them")]
    public static partial void HandlerOverflow(ILogger logger, string kind, int capacity);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "informer of {Kind}: a handler that fell behind was caught up with {Changes} changes")]
    public static partial void HandlerCaughtUp(ILogger logger, string kind, int changes);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "informer of {Kind}: index {Index} failed on {Key}; the object is left out of it")]
    public static partial void IndexFailed(ILogger logger, string kind, string index, string key, Exception exception);
}
