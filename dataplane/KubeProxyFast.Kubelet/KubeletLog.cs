using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet;

/// <summary>The composition's log messages (event ids 1620–1639).</summary>
internal static partial class KubeletLog
{
    [LoggerMessage(1620, LogLevel.Information, "Kubelet of node {Node} started on runtime {Endpoint} ({RuntimeName} {RuntimeVersion})")]
    public static partial void Started(ILogger logger, string node, string endpoint, string runtimeName, string runtimeVersion);

    [LoggerMessage(1621, LogLevel.Warning, "Stopping a part of the kubelet failed")]
    public static partial void StopFailed(ILogger logger, Exception exception);

    [LoggerMessage(1622, LogLevel.Warning, "{Count} image archive(s) in {Directory} could not be imported (each is logged); the node starts without them")]
    public static partial void ImagesNotImported(ILogger logger, string directory, int count);

    [LoggerMessage(1623, LogLevel.Warning, "Housekeeping could not list the runtime's pods; it tries again")]
    public static partial void HousekeepingFailed(ILogger logger, Exception exception);

    [LoggerMessage(1625, LogLevel.Warning, "Adopting the runtime's pods failed; the pod workers start from the API's pods")]
    public static partial void AdoptFailed(ILogger logger, Exception exception);

    [LoggerMessage(1626, LogLevel.Warning, "Reporting the state of pod {Pod} failed")]
    public static partial void SinkFailed(ILogger logger, string pod, Exception exception);
}
