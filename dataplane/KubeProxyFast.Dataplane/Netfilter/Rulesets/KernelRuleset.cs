using KubeProxyFast.Dataplane.Netfilter.NfTables;
using KubeProxyFast.Dataplane.Snapshot;
using static KubeProxyFast.Dataplane.Netfilter.NfTables.NfTablesConstants;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// Kernel mode: service traffic is DNATed straight to a pod, no userspace hop.
/// <code>
/// nat-prerouting, nat-output → services:
///   ip daddr . meta l4proto . th dport vmap @service-ips          (cluster IPs → svc-*, external IPs → ext-*)
///   fib daddr type local meta l4proto . th dport vmap @service-nodeports   (→ ext-*)
/// ext-&lt;port&gt;:  jump masq-mark; goto svc-&lt;port&gt;
/// svc-&lt;port&gt;:  [ip saddr @aff-&lt;ep&gt; goto ep-&lt;ep&gt;]…  numgen random mod (N-i) == 0 goto ep-&lt;i&gt;…  goto ep-&lt;N-1&gt;
/// ep-&lt;ep&gt;:    ip saddr &lt;ep&gt; jump masq-mark (hairpin); [update @aff-&lt;ep&gt; { ip saddr }]; dnat to &lt;ep&gt;
/// nat-postrouting: marked → masquerade
/// filter-input/forward/output: ct state new → filter-services: no-endpoint keys → reject
/// </code>
/// ClientIP affinity is one dynamic set per endpoint with the service's timeout; <c>update</c>
/// restarts an element's timeout at each new connection, the sliding expiry of Kubernetes.
/// </summary>
internal sealed partial class KernelRuleset : INetfilterRuleset
{
    /// <summary>Bound on each affinity set, as nft's default for dynamic sets.</summary>
    public const uint AffinitySetSize = 65535;

    /// <summary><c>type ipv4_addr . inet_proto . inet_service : verdict</c>.</summary>
    internal static readonly NfSetShape AddressMap = new(NFT_SET_MAP, NfSetShape.AddressProtocolPort, 12, NFT_DATA_VERDICT);

    /// <summary><c>type inet_proto . inet_service : verdict</c>.</summary>
    internal static readonly NfSetShape NodePortMap = new(NFT_SET_MAP, NfSetShape.ProtocolPort, 8, NFT_DATA_VERDICT);

    /// <summary><c>type ipv4_addr; flags dynamic,timeout</c>: the clients of one endpoint.</summary>
    internal static readonly NfSetShape AffinitySetShape = new(NFT_SET_TIMEOUT | NFT_SET_EVAL, TYPE_IPADDR, 4);

    /// <inheritdoc/>
    public void WriteFull(NfBatch batch, ProxySnapshot snapshot)
    {
        RuleWriters.RecreateTable(batch);
        NfSet.Add(batch, Table, ServiceIPs, AddressMap, batch.NewSetId());
        NfSet.Add(batch, Table, ServiceNodePorts, NodePortMap, batch.NewSetId());
        NfSet.Add(batch, Table, NoEndpointServiceIPs, AddressMap, batch.NewSetId());
        NfSet.Add(batch, Table, NoEndpointNodePorts, NodePortMap, batch.NewSetId());

        NfChain.Add(batch, Table, MasqMark);
        RuleWriters.SetMasqueradeMark(batch);
        NfChain.Add(batch, Table, RejectChain);
        RuleWriters.RejectRules(batch);

        foreach (var spec in snapshot.Ports)
        {
            if (IsProgrammed(spec))
            {
                AddPortChains(batch, spec);
            }
        }

        NfChain.Add(batch, Table, Services);
        RuleWriters.AddressVmap(batch, Services, ServiceIPs);
        RuleWriters.NodePortVmap(batch, Services, ServiceNodePorts);
        NfChain.Add(batch, Table, FilterServices);
        RuleWriters.AddressVmap(batch, FilterServices, NoEndpointServiceIPs);
        RuleWriters.NodePortVmap(batch, FilterServices, NoEndpointNodePorts);

        var elements = new List<MapElement>();
        foreach (var spec in snapshot.Ports)
        {
            if (IsProgrammed(spec))
            {
                AppendElements(spec, elements);
            }
        }

        WriteElements(batch, elements, delete: false);

        // Hooks last: the kernel sees a complete table when the transaction commits anyway, but
        // this order keeps every jump target defined before the chain that jumps to it.
        NfChain.AddBase(batch, Table, NatPrerouting, "nat", NF_INET_PRE_ROUTING, NF_IP_PRI_NAT_DST);
        RuleWriters.Jump(batch, NatPrerouting, Services);
        NfChain.AddBase(batch, Table, NatOutput, "nat", NF_INET_LOCAL_OUT, NF_IP_PRI_NAT_DST);
        RuleWriters.Jump(batch, NatOutput, Services);
        NfChain.AddBase(batch, Table, NatPostrouting, "nat", NF_INET_POST_ROUTING, NF_IP_PRI_NAT_SRC);
        RuleWriters.MasqueradeMarked(batch);
        foreach (var (chain, hook) in new[] { (FilterInput, NF_INET_LOCAL_IN), (FilterForward, NF_INET_FORWARD), (FilterOutput, NF_INET_LOCAL_OUT) })
        {
            NfChain.AddBase(batch, Table, chain, "filter", hook, NF_IP_PRI_FILTER);
            RuleWriters.JumpIfNew(batch, chain, FilterServices);
        }
    }

    /// <inheritdoc/>
    public ExpectedTable Expect(ProxySnapshot snapshot)
    {
        var chains = new HashSet<string>
        {
            NatPrerouting, NatOutput, NatPostrouting, FilterInput, FilterForward, FilterOutput,
            Services, FilterServices, MasqMark, RejectChain,
        };
        var sets = new HashSet<string> { ServiceIPs, ServiceNodePorts, NoEndpointServiceIPs, NoEndpointNodePorts };
        var elements = new List<MapElement>();
        foreach (var spec in snapshot.Ports)
        {
            if (!IsProgrammed(spec))
            {
                continue;
            }

            var stem = Stem(spec.Id);
            chains.Add(ServiceChain(stem));
            if (NeedsExternalChain(spec))
            {
                chains.Add(ExternalChain(stem));
            }

            foreach (var endpoint in spec.Endpoints)
            {
                chains.Add(EndpointChain(stem, endpoint));
                if (spec.Affinity.ClientIP)
                {
                    sets.Add(AffinitySet(stem, endpoint));
                }
            }

            AppendElements(spec, elements);
        }

        var counts = new Dictionary<string, int> { [ServiceIPs] = 0, [ServiceNodePorts] = 0, [NoEndpointServiceIPs] = 0, [NoEndpointNodePorts] = 0 };
        foreach (var e in elements)
        {
            counts[e.Map]++;
        }

        return new ExpectedTable(chains, sets, counts);
    }

    /// <summary>Headless service ports (no cluster IP) get no rules.</summary>
    private static bool IsProgrammed(ServicePortSpec spec) => !spec.ClusterIP.Equals(System.Net.IPAddress.None);

    private static bool NeedsExternalChain(ServicePortSpec spec) => spec.NodePort is not null || spec.ExternalIPs.Length > 0;

    private static void WriteElements(NfBatch batch, List<MapElement> elements, bool delete)
    {
        foreach (var map in new[] { ServiceIPs, ServiceNodePorts, NoEndpointServiceIPs, NoEndpointNodePorts })
        {
            MapElement.Write(batch, map, elements, delete);
        }
    }

    /// <summary>The map elements that route to <paramref name="spec"/>: to its chains, or to reject when it has no endpoints.</summary>
    private static void AppendElements(ServicePortSpec spec, List<MapElement> elements)
    {
        var stem = Stem(spec.Id);
        var hasEndpoints = spec.Endpoints.Length > 0;
        var ips = hasEndpoints ? ServiceIPs : NoEndpointServiceIPs;
        var nodePorts = hasEndpoints ? ServiceNodePorts : NoEndpointNodePorts;
        var service = hasEndpoints ? ServiceChain(stem) : RejectChain;
        var external = hasEndpoints ? ExternalChain(stem) : RejectChain;
        elements.Add(new MapElement(ips, spec.ClusterIP, spec.Protocol, spec.Port, service));
        foreach (var address in spec.ExternalIPs)
        {
            elements.Add(new MapElement(ips, address, spec.Protocol, spec.Port, external));
        }

        if (spec.NodePort is { } nodePort)
        {
            elements.Add(new MapElement(nodePorts, null, spec.Protocol, nodePort, external));
        }
    }
}
