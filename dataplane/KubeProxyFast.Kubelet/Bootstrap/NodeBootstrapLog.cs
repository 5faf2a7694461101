using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>The join's log messages (event ids 1700–1719).</summary>
internal static partial class NodeBootstrapLog
{
    [LoggerMessage(1700, LogLevel.Information, "Server {Server} serves the CA bundle the join token pins (sha256 {Hash}); it is trusted from now on")]
    public static partial void CaPinned(ILogger logger, Uri server, string hash);

    [LoggerMessage(1701, LogLevel.Information, "Requesting the node's {Kind} certificate for {User} with {Identity}")]
    public static partial void Requesting(ILogger logger, string kind, string user, string identity);

    [LoggerMessage(1702, LogLevel.Information, "The node's {Kind} certificate is issued (valid until {NotAfter:u}, renewed from {Deadline:u})")]
    public static partial void Issued(ILogger logger, string kind, DateTime notAfter, DateTimeOffset deadline);

    [LoggerMessage(1703, LogLevel.Information, "Reusing the node's {Kind} certificate (valid until {NotAfter:u})")]
    public static partial void Reused(ILogger logger, string kind, DateTime notAfter);

    [LoggerMessage(1704, LogLevel.Warning, "The node's {Kind} certificate could not be obtained; trying again in {Retry}")]
    public static partial void RequestFailed(ILogger logger, string kind, TimeSpan retry, Exception exception);
}
