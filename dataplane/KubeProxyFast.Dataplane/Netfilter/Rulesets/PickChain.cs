using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink.NfTables;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>How traffic reached a pick chain, which decides its key and whether it is masqueraded.</summary>
internal enum PickKind
{
    /// <summary>To a cluster IP: keyed by destination address and port.</summary>
    ClusterIP,

    /// <summary>To an external IP: keyed the same way, marked for masquerade.</summary>
    ExternalIP,

    /// <summary>To a node port on any local address: keyed by port, marked for masquerade.</summary>
    NodePort,
}

/// <summary>
/// One chain shared by every service port (without affinity) of a protocol with the same
/// endpoint count N: <c>dnat to ip daddr . tcp dport . numgen random mod N map @endpoints</c>
/// (or the node-port key). Sharing keeps the endpoint maps bound to a few dozen rules: the kernel
/// checks every new map element against every rule bound to the map, and a map bound to one rule
/// per service made a 10,000-service sync quadratic (3.2 s measured). Service ports reach their
/// pick chain from the verdict maps, so a port is elements only, and a changed endpoint count is
/// an element whose verdict names another pick chain.
/// </summary>
internal readonly record struct PickChain(PickKind Kind, L4Protocol Protocol, int Count)
{
    /// <summary><c>pick-tcp-3</c>, <c>ext-pick-udp-2</c>, <c>nodeport-pick-tcp-1</c>.</summary>
    public string Name => Kind switch
    {
        PickKind.ClusterIP => $"pick-{ProtocolName}-{Count}",
        PickKind.ExternalIP => $"ext-pick-{ProtocolName}-{Count}",
        _ => $"nodeport-pick-{ProtocolName}-{Count}",
    };

    private string ProtocolName => Protocol == L4Protocol.Tcp ? "tcp" : "udp";

    /// <summary>The pick chains <paramref name="spec"/> routes through (none without endpoints, or with ClientIP affinity).</summary>
    public static IEnumerable<PickChain> Of(ServicePortSpec spec)
    {
        var count = spec.Endpoints.Length;
        if (count == 0 || spec.Affinity.ClientIP || spec.ClusterIP.Equals(System.Net.IPAddress.None))
        {
            yield break;
        }

        yield return new PickChain(PickKind.ClusterIP, spec.Protocol, count);
        if (spec.ExternalIPs.Length > 0)
        {
            yield return new PickChain(PickKind.ExternalIP, spec.Protocol, count);
        }

        if (spec.NodePort is not null)
        {
            yield return new PickChain(PickKind.NodePort, spec.Protocol, count);
        }
    }

    /// <summary>Adds the chain with its rules.</summary>
    public void Add(NfBatch batch)
    {
        var name = Name;
        NfChain.Add(batch, Table, name);
        if (Kind != PickKind.ClusterIP)
        {
            RuleWriters.Jump(batch, name, MasqMark);
        }

        var protocol = Protocol == L4Protocol.Tcp ? IPPROTO_TCP : IPPROTO_UDP;
        var byDestination = Kind != PickKind.NodePort;
        RuleWriters.DnatByMap(batch, name, protocol, byDestination ? EndpointMap : NodePortEndpointMap, byDestination, Count);
    }
}
