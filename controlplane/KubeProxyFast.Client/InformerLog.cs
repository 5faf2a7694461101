using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Client;

internal static partial class InformerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "informer of {Kind}: list or watch failed, retrying in {Delay}")]
    public static partial void Failed(ILogger logger, string kind, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "informer of {Kind}: resourceVersion {Version} is too old, relisting")]
    public static partial void Relisting(ILogger logger, string kind, string? version);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "informer of {Kind}: a handler failed on {Key}")]
    public static partial void HandlerFailed(ILogger logger, string kind, string key, Exception exception);
}
