using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet;

/// <summary>The composition's log messages (event ids 1620–1639).</summary>
internal static partial class KubeletLog
{
    [LoggerMessage(1620, LogLevel.Information, "Kubelet of node {Node} started on runtime {Endpoint} ({RuntimeName} {RuntimeVersion})")]
    public static partial void Started(ILogger logger, string node, string endpoint, string runtimeName, string runtimeVersion);

    [LoggerMessage(1621, LogLevel.Warning, "Stopping a part of the kubelet failed")]
    public static partial void StopFailed(ILogger logger, Exception exception);
}
