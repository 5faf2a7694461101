using Microsoft.Extensions.Logging;

namespace KubeProxyFast.KubeProxy.Config;

internal static partial class ConfigLog
{
    [LoggerMessage(100, LogLevel.Error, "{Message}\nthe configuration from before stays in service ({ServicePorts} service ports)")]
    public static partial void LoadFailed(ILogger logger, string message, int servicePorts);

    [LoggerMessage(107, LogLevel.Critical, "loading {Path} failed unexpectedly; the configuration from before stays in service")]
    public static partial void LoadCrashed(ILogger logger, Exception exception, string path);

    [LoggerMessage(106, LogLevel.Error, "{Message}\nno configuration has loaded yet: nothing is served until the file is fixed")]
    public static partial void FirstLoadFailed(ILogger logger, string message);

    [LoggerMessage(101, LogLevel.Information, "{ServicePort} ({Protocol}) listens on {Addresses}; {Endpoints} ready endpoints")]
    public static partial void Serving(ILogger logger, string servicePort, string protocol, string addresses, int endpoints);

    [LoggerMessage(102, LogLevel.Information, "{ServicePort} removed; its open connections drain")]
    public static partial void Removed(ILogger logger, string servicePort);

    [LoggerMessage(103, LogLevel.Warning, "{Message}")]
    public static partial void Warning(ILogger logger, string message);

    [LoggerMessage(104, LogLevel.Error, "{ServicePort}: rolling back to the configuration from before, it could not be served again: {Reason}")]
    public static partial void RestoreFailed(ILogger logger, string servicePort, string reason);

    [LoggerMessage(105, LogLevel.Warning, "cannot watch {Directory} ({Reason}); changes are found by reading the file every {Seconds} s")]
    public static partial void WatchUnavailable(ILogger logger, string directory, string reason, double seconds);
}
