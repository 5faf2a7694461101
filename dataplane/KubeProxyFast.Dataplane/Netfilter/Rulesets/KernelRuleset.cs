using System.Net;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink.NfTables;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// Kernel mode: service traffic is DNATed straight to a pod, no userspace hop.
/// <code>
/// nat-prerouting, nat-output → services:
///   ip daddr . meta l4proto . th dport vmap @service-ips          (cluster IPs → svc-*, external IPs → ext-*)
///   fib daddr type local meta l4proto . th dport vmap @service-nodeports   (→ ext-*)
///   (a port with N endpoints → pick-&lt;proto&gt;-N, ext-pick-…, nodeport-pick-…, shared by all such ports)
/// pick-tcp-N:       dnat to ip daddr . tcp dport . numgen random mod N map @endpoints
/// ext-pick-tcp-N:   jump masq-mark; the same
/// nodeport-pick-tcp-N: jump masq-mark; dnat to tcp dport . numgen random mod N map @nodeport-endpoints
/// nat-postrouting: marked → masquerade; ct status dnat oif != lo ip saddr . ip daddr @hairpin → masquerade
/// filter-input/forward/output: ct state new → filter-services: no-endpoint keys → reject
/// </code>
/// A port is map elements only: its keys in the verdict maps and its endpoint slots (slot i of a
/// port → endpoint), so a sync of one port touches elements, never a rule of its own — the kernel
/// revalidates every chain of the table at a commit that adds a rule (about 100 ms at 10,000
/// services with a chain per port, measured), and the table stays a few dozen chains. ClientIP
/// ports keep chains of their own: <c>svc</c> sends a client found in
/// an endpoint's dynamic set (<c>aff-…</c>, the service's timeout) to that endpoint's chain, else
/// picks one by per-rule numgen probabilities; the <c>ep</c> chain's <c>update</c> restarts the
/// client's timeout at each new connection, the sliding expiry of Kubernetes.
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

    /// <summary><c>ipv4_addr . inet_service . integer : ipv4_addr . inet_service</c>.</summary>
    internal static readonly NfSetShape EndpointMapShape = new(NFT_SET_MAP, (AddressPort << TYPE_BITS) | TYPE_INTEGER, 12, AddressPort, 8);

    /// <summary><c>inet_service . integer : ipv4_addr . inet_service</c>.</summary>
    internal static readonly NfSetShape NodePortEndpointMapShape = new(NFT_SET_MAP, (TYPE_INET_SERVICE << TYPE_BITS) | TYPE_INTEGER, 8, AddressPort, 8);

    /// <summary><c>ipv4_addr . ipv4_addr</c>.</summary>
    internal static readonly NfSetShape HairpinShape = new(0, (TYPE_IPADDR << TYPE_BITS) | TYPE_IPADDR, 8);

    private const uint AddressPort = (TYPE_IPADDR << TYPE_BITS) | TYPE_INET_SERVICE;

    // What the kernel holds (as of the last batch written), with how many ports use each: the
    // hairpin set's endpoint addresses and the pick chains. A failed batch is followed by a full
    // sync, which resets both.
    private readonly UseCounts<IPAddress> _hairpin = new();
    private readonly UseCounts<PickChain> _picks = new();

    /// <inheritdoc/>
    public void WriteFull(NfBatch batch, ProxySnapshot snapshot)
    {
        RuleWriters.RecreateTable(batch);
        NfSet.Add(batch, Table, ServiceIPs, AddressMap, batch.NewSetId());
        NfSet.Add(batch, Table, ServiceNodePorts, NodePortMap, batch.NewSetId());
        NfSet.Add(batch, Table, NoEndpointServiceIPs, AddressMap, batch.NewSetId());
        NfSet.Add(batch, Table, NoEndpointNodePorts, NodePortMap, batch.NewSetId());
        NfSet.Add(batch, Table, EndpointMap, EndpointMapShape, batch.NewSetId(), userdata: NftTypeof.EndpointMap);
        NfSet.Add(batch, Table, NodePortEndpointMap, NodePortEndpointMapShape, batch.NewSetId(), userdata: NftTypeof.NodePortEndpointMap);
        NfSet.Add(batch, Table, HairpinSet, HairpinShape, batch.NewSetId());

        NfChain.Add(batch, Table, MasqMark);
        RuleWriters.SetMasqueradeMark(batch);
        NfChain.Add(batch, Table, RejectChain);
        RuleWriters.RejectRules(batch);

        _picks.Reset(snapshot.Ports.SelectMany(PickChain.Of));
        foreach (var pick in _picks.InUse)
        {
            pick.Add(batch);
        }

        var elements = new List<MapElement>();
        var slots = new List<EndpointSlot>();
        foreach (var spec in snapshot.Ports)
        {
            if (IsProgrammed(spec))
            {
                AddPortChains(batch, spec);
                AppendElements(spec, elements);
                AppendSlots(spec, slots);
            }
        }

        NfChain.Add(batch, Table, Services);
        RuleWriters.AddressVmap(batch, Services, ServiceIPs);
        RuleWriters.NodePortVmap(batch, Services, ServiceNodePorts);
        NfChain.Add(batch, Table, FilterServices);
        RuleWriters.AddressVmap(batch, FilterServices, NoEndpointServiceIPs);
        RuleWriters.NodePortVmap(batch, FilterServices, NoEndpointNodePorts);

        WriteElements(batch, elements, delete: false);
        WriteSlots(batch, slots, delete: false);
        _hairpin.Reset(snapshot.Ports.SelectMany(HairpinUses));
        HairpinElements.Write(batch, _hairpin.InUse, delete: false);

        // Hooks last: the kernel sees a complete table when the transaction commits anyway, but
        // this order keeps every jump target defined before the chain that jumps to it.
        NfChain.AddBase(batch, Table, NatPrerouting, "nat", NF_INET_PRE_ROUTING, NF_IP_PRI_NAT_DST);
        RuleWriters.Jump(batch, NatPrerouting, Services);
        NfChain.AddBase(batch, Table, NatOutput, "nat", NF_INET_LOCAL_OUT, NF_IP_PRI_NAT_DST);
        RuleWriters.Jump(batch, NatOutput, Services);
        NfChain.AddBase(batch, Table, NatPostrouting, "nat", NF_INET_POST_ROUTING, NF_IP_PRI_NAT_SRC);
        RuleWriters.MasqueradeMarked(batch);
        RuleWriters.HairpinMasquerade(batch);
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
        var sets = new HashSet<string> { ServiceIPs, ServiceNodePorts, NoEndpointServiceIPs, NoEndpointNodePorts, EndpointMap, NodePortEndpointMap, HairpinSet };
        var counts = new Dictionary<string, int>
        {
            [ServiceIPs] = 0, [ServiceNodePorts] = 0, [NoEndpointServiceIPs] = 0, [NoEndpointNodePorts] = 0,
            [EndpointMap] = 0, [NodePortEndpointMap] = 0, [HairpinSet] = snapshot.Ports.SelectMany(HairpinUses).Distinct().Count(),
        };
        var elements = new List<MapElement>();
        var slots = new List<EndpointSlot>();
        foreach (var spec in snapshot.Ports)
        {
            if (!IsProgrammed(spec))
            {
                continue;
            }

            if (!UsesSlots(spec))
            {
                var stem = Stem(spec.Id);
                chains.Add(ServiceChain(stem));
                if (NeedsExternalChain(spec))
                {
                    chains.Add(ExternalChain(stem));
                }

                foreach (var endpoint in spec.Endpoints)
                {
                    chains.Add(EndpointChain(stem, endpoint));
                    sets.Add(AffinitySet(stem, endpoint));
                }
            }

            AppendElements(spec, elements);
            AppendSlots(spec, slots);
        }

        chains.UnionWith(snapshot.Ports.SelectMany(PickChain.Of).Select(p => p.Name));
        foreach (var e in elements)
        {
            counts[e.Map]++;
        }

        foreach (var s in slots)
        {
            counts[s.Map]++;
        }

        return new ExpectedTable(chains, sets, counts);
    }

    /// <summary>Headless service ports (no cluster IP) get no rules.</summary>
    private static bool IsProgrammed(ServicePortSpec spec) => !spec.ClusterIP.Equals(IPAddress.None);

    private static bool NeedsExternalChain(ServicePortSpec spec) => spec.NodePort is not null || spec.ExternalIPs.Length > 0;

    /// <summary>Endpoints in map slots; ClientIP ports keep a chain per endpoint for their affinity sets.</summary>
    private static bool UsesSlots(ServicePortSpec spec) => !spec.Affinity.ClientIP;
}
