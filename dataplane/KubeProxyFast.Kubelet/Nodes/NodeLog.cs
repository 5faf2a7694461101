using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>The node side's log messages (event ids 1600–1619).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(1600, LogLevel.Information, "Node {Node} registered")]
    public static partial void Registered(ILogger logger, string node);

    [LoggerMessage(1601, LogLevel.Information, "Node {Node} was already registered; its labels are in place")]
    public static partial void AlreadyRegistered(ILogger logger, string node);

    [LoggerMessage(1602, LogLevel.Information, "Node {Node} was already registered; the kubelet's labels were brought in line")]
    public static partial void LabelsReconciled(ILogger logger, string node);

    [LoggerMessage(1603, LogLevel.Warning, "Registering node {Node} failed; retrying in {Delay}")]
    public static partial void RegistrationFailed(ILogger logger, string node, TimeSpan delay, Exception exception);

    [LoggerMessage(1604, LogLevel.Warning, "Renewing the Lease of node {Node} failed; retrying in {Delay}")]
    public static partial void LeaseRenewFailed(ILogger logger, string node, TimeSpan delay, Exception exception);

    [LoggerMessage(1605, LogLevel.Warning, "Updating the status of node {Node} failed")]
    public static partial void StatusUpdateFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(1606, LogLevel.Information, "Node {Node} is now Ready={Ready}: {Message}")]
    public static partial void ReadinessWritten(ILogger logger, string node, bool ready, string message);
}
