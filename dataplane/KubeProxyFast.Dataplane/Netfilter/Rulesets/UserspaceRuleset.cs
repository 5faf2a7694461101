using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink.NfTables;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// Userspace mode (the seed's kube-proxy): the kernel redirects service traffic to the proxy's
/// local port for that service port, and the proxy relays it. No chain per service — two maps
/// and four rules serve every service port:
/// <code>
/// nat-prerouting, nat-output → services:
///   meta l4proto tcp|udp redirect to : ip daddr . meta l4proto . th dport map @proxy-ports
///   meta l4proto tcp|udp fib daddr type local redirect to : meta l4proto . th dport map @proxy-nodeports
/// </code>
/// A lookup that misses ends its rule, so other traffic passes untouched. Locally generated
/// traffic is redirected to 127.0.0.1, arriving traffic to the address it arrived on; the proxy
/// port must listen on both (the engine's proxy bind address, 0.0.0.0 by default).
/// </summary>
internal sealed class UserspaceRuleset : INetfilterRuleset
{
    private static readonly NfSetShape AddressToPort = new(NFT_SET_MAP, NfSetShape.AddressProtocolPort, 12, TYPE_INET_SERVICE, 2);
    private static readonly NfSetShape NodePortToPort = new(NFT_SET_MAP, NfSetShape.ProtocolPort, 8, TYPE_INET_SERVICE, 2);

    private readonly Func<ServicePortId, int?> _proxyPort;
    private readonly Dictionary<ServicePortId, List<MapElement>> _programmed = [];

    /// <param name="proxyPort">The local port the proxy listens on for a service port (null: not listening, no redirect).</param>
    public UserspaceRuleset(Func<ServicePortId, int?> proxyPort) => _proxyPort = proxyPort;

    /// <inheritdoc/>
    public void WriteFull(NfBatch batch, ProxySnapshot snapshot)
    {
        RuleWriters.RecreateTable(batch);
        NfSet.Add(batch, Table, ProxyPorts, AddressToPort, batch.NewSetId());
        NfSet.Add(batch, Table, ProxyNodePorts, NodePortToPort, batch.NewSetId());
        NfChain.Add(batch, Table, Services);
        foreach (var protocol in new[] { IPPROTO_TCP, IPPROTO_UDP })
        {
            RuleWriters.RedirectToMappedPort(batch, Services, protocol, ProxyPorts, nodePorts: false);
        }

        foreach (var protocol in new[] { IPPROTO_TCP, IPPROTO_UDP })
        {
            RuleWriters.RedirectToMappedPort(batch, Services, protocol, ProxyNodePorts, nodePorts: true);
        }

        _programmed.Clear();
        var all = new List<MapElement>();
        foreach (var spec in snapshot.Ports)
        {
            var elements = ElementsOf(spec);
            _programmed[spec.Id] = elements;
            all.AddRange(elements);
        }

        MapEntries.Write(batch, ProxyPorts, all, delete: false);
        MapEntries.Write(batch, ProxyNodePorts, all, delete: false);

        NfChain.AddBase(batch, Table, NatPrerouting, "nat", NF_INET_PRE_ROUTING, NF_IP_PRI_NAT_DST);
        RuleWriters.Jump(batch, NatPrerouting, Services);
        NfChain.AddBase(batch, Table, NatOutput, "nat", NF_INET_LOCAL_OUT, NF_IP_PRI_NAT_DST);
        RuleWriters.Jump(batch, NatOutput, Services);
    }

    /// <inheritdoc/>
    public void WriteChanges(NfBatch batch, ProxySnapshot current, SnapshotDiff diff)
    {
        // The proxy port of an unchanged spec can change too (its listener was reopened), so
        // compare what each port maps to now with what was programmed, for every port.
        ArgumentNullException.ThrowIfNull(current);
        var removed = new List<MapElement>();
        var added = new List<MapElement>();
        var seen = new HashSet<ServicePortId>();
        foreach (var spec in current.Ports)
        {
            seen.Add(spec.Id);
            var now = ElementsOf(spec);
            var before = _programmed.GetValueOrDefault(spec.Id) ?? [];
            if (before.SequenceEqual(now))
            {
                continue;
            }

            removed.AddRange(before.Except(now));
            added.AddRange(now.Except(before));
            _programmed[spec.Id] = now;
        }

        foreach (var id in _programmed.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            removed.AddRange(_programmed[id]);
            _programmed.Remove(id);
        }

        MapEntries.Write(batch, ProxyPorts, removed, delete: true);
        MapEntries.Write(batch, ProxyNodePorts, removed, delete: true);
        MapEntries.Write(batch, ProxyPorts, added, delete: false);
        MapEntries.Write(batch, ProxyNodePorts, added, delete: false);
    }

    /// <inheritdoc/>
    public ExpectedTable Expect(ProxySnapshot snapshot)
    {
        var counts = new Dictionary<string, int> { [ProxyPorts] = 0, [ProxyNodePorts] = 0 };
        foreach (var spec in snapshot.Ports)
        {
            foreach (var e in ElementsOf(spec))
            {
                counts[e.Map]++;
            }
        }

        return new ExpectedTable(new HashSet<string> { NatPrerouting, NatOutput, Services }, new HashSet<string> { ProxyPorts, ProxyNodePorts }, counts);
    }

    private List<MapElement> ElementsOf(ServicePortSpec spec)
    {
        var elements = new List<MapElement>();
        if (spec.ClusterIP.Equals(System.Net.IPAddress.None) || _proxyPort(spec.Id) is not { } port)
        {
            return elements;
        }

        elements.Add(new MapElement(ProxyPorts, spec.ClusterIP, spec.Protocol, spec.Port, null, port));
        foreach (var address in spec.ExternalIPs)
        {
            elements.Add(new MapElement(ProxyPorts, address, spec.Protocol, spec.Port, null, port));
        }

        if (spec.NodePort is { } nodePort)
        {
            elements.Add(new MapElement(ProxyNodePorts, null, spec.Protocol, nodePort, null, port));
        }

        return elements;
    }
}
