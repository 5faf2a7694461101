using System.Net;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.NodeIpam;

internal static partial class NodeIpamLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Occupied the pod CIDRs of {Count} existing nodes; {Used} of {Max} node CIDRs of {Cluster} in use")]
    public static partial void Occupied(ILogger logger, int count, int used, int max, IPNetwork cluster);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Allocated pod CIDR {Cidr} to node {Node}")]
    public static partial void Allocated(ILogger logger, string cidr, string node);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "CIDR allocation failed for node {Node}: there are no remaining CIDRs left to allocate in the accepted range {Cluster}")]
    public static partial void Exhausted(ILogger logger, string node, IPNetwork cluster);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Node {Node} has pod CIDR {Cidr} that is not a valid CIDR inside the cluster CIDR {Cluster}; left as it is")]
    public static partial void ForeignCidr(ILogger logger, string node, string cidr, IPNetwork cluster);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Syncing node {Node} failed; retrying")]
    public static partial void SyncFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Released pod CIDR {Cidr} of node {Node}")]
    public static partial void Released(ILogger logger, IPNetwork cidr, string node);
}
