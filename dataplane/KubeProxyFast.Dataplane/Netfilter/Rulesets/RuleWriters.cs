using System.Net;
using KubeProxyFast.Linux.Netlink.NfTables;
using KubeProxyFast.Linux.Netlink.NfTables.Expressions;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>The rules both rulesets are built from, each written as nft would encode the same command.</summary>
internal static class RuleWriters
{
    private static ReadOnlySpan<byte> MarkBit => [0x00, 0x40, 0x00, 0x00]; // 0x4000, host order as meta mark holds it
    private static ReadOnlySpan<byte> NotMarkBit => [0xff, 0xbf, 0xff, 0xff];
    private static ReadOnlySpan<byte> Zero => [0, 0, 0, 0];

    // LOOPBACK_IFINDEX: lo is interface 1 in every network namespace.
    private static ReadOnlySpan<byte> LoopbackIfindex => [1, 0, 0, 0];

    /// <summary>Recreates our table empty in the same transaction: add (so the delete cannot fail), delete, add.</summary>
    public static void RecreateTable(NfBatch batch)
    {
        NfTable.Add(batch, Table);
        NfTable.Delete(batch, Table);
        NfTable.Add(batch, Table);
    }

    /// <summary><c>jump &lt;chain&gt;</c> as the only rule of <paramref name="from"/>.</summary>
    public static void Jump(NfBatch batch, string from, string to) => Verdict(batch, from, NFT_JUMP, to);

    /// <summary>An unconditional verdict.</summary>
    public static void Verdict(NfBatch batch, string chain, int code, string? target)
    {
        var r = NfRule.Begin(batch, Table, chain);
        Immediate.Verdict(r.Writer, code, target);
        r.End();
    }

    /// <summary><c>ip daddr . meta l4proto . th dport</c> into NFT_REG_1 (three 4-byte fields).</summary>
    public static void LoadAddressProtocolPort(NfRule r)
    {
        Payload.IPv4Destination(r.Writer, NFT_REG_1);
        Meta.Load(r.Writer, Meta.NFT_META_L4PROTO, NFT_REG32_01);
        Payload.TransportDestinationPort(r.Writer, NFT_REG32_02);
    }

    /// <summary><c>fib daddr type local meta l4proto . th dport</c> into NFT_REG_1 (two fields).</summary>
    public static void LoadLocalProtocolPort(NfRule r)
    {
        Fib.DestinationAddressType(r.Writer, NFT_REG_1);
        Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_EQ, [(byte)Fib.RTN_LOCAL, 0, 0, 0]);
        Meta.Load(r.Writer, Meta.NFT_META_L4PROTO, NFT_REG_1);
        Payload.TransportDestinationPort(r.Writer, NFT_REG32_01);
    }

    /// <summary><c>meta mark set meta mark or 0x4000</c>: ask for masquerade.</summary>
    public static void SetMasqueradeMark(NfBatch batch)
    {
        var r = NfRule.Begin(batch, Table, MasqMark);
        Meta.Load(r.Writer, Meta.NFT_META_MARK, NFT_REG_1);
        Bitwise.MaskXor(r.Writer, NFT_REG_1, NotMarkBit, MarkBit);
        Meta.Set(r.Writer, Meta.NFT_META_MARK, NFT_REG_1);
        r.End();
    }

    /// <summary><c>meta mark and 0x4000 == 0x4000 meta mark set meta mark and ~0x4000 masquerade</c>.</summary>
    public static void MasqueradeMarked(NfBatch batch)
    {
        var r = NfRule.Begin(batch, Table, NatPostrouting);
        Meta.Load(r.Writer, Meta.NFT_META_MARK, NFT_REG_1);
        Bitwise.MaskXor(r.Writer, NFT_REG_1, MarkBit, Zero);
        Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_EQ, MarkBit);
        // Clear the bit, as kube-proxy does, so that a packet that goes through netfilter again is not masqueraded twice.
        Meta.Load(r.Writer, Meta.NFT_META_MARK, NFT_REG_1);
        Bitwise.MaskXor(r.Writer, NFT_REG_1, NotMarkBit, Zero);
        Meta.Set(r.Writer, Meta.NFT_META_MARK, NFT_REG_1);
        Masq.Write(r.Writer);
        r.End();
    }

    /// <summary>
    /// <c>ct status dnat oif != lo ip saddr . ip daddr @hairpin masquerade</c>: a pod that reached
    /// itself through a service (its address is both ends after DNAT) is masqueraded, or it would
    /// answer itself directly from its own namespace. Only DNATed connections, as kube-proxy marks
    /// only in its endpoint chains: an endpoint connecting to itself directly is none of ours. Never
    /// out of lo: an endpoint local to this namespace answers through this conntrack, which undoes
    /// the DNAT, and masquerading there needs an address lo does not have (without another
    /// interface the kernel drops the packet: "lo ate my IP address").
    /// </summary>
    public static void HairpinMasquerade(NfBatch batch)
    {
        var r = NfRule.Begin(batch, Table, NatPostrouting);
        Ct.LoadStatus(r.Writer, NFT_REG_1);
        Bitwise.Flags(r.Writer, NFT_REG_1, [(byte)Ct.IPS_DST_NAT, 0, 0, 0]);
        Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_NEQ, Zero);
        Meta.Load(r.Writer, Meta.NFT_META_OIF, NFT_REG_1);
        Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_NEQ, LoopbackIfindex);
        Payload.IPv4Source(r.Writer, NFT_REG_1);
        Payload.IPv4Destination(r.Writer, NFT_REG32_01);
        Lookup.InSet(r.Writer, NFT_REG_1, HairpinSet);
        Masq.Write(r.Writer);
        r.End();
    }

    /// <summary>
    /// <c>meta l4proto tcp dnat ip addr . port to ip daddr . tcp dport . numgen random mod N map @map</c>
    /// (by destination), or <c>… to tcp dport . numgen random mod N map @map</c> (node ports, any
    /// address): a uniform endpoint choice among N slots of one map, in one rule. Endpoints live in
    /// map elements, so replacing one is an element change: no rule, no chain, and so no
    /// revalidation of the whole table by the kernel at commit.
    /// </summary>
    public static void DnatByMap(NfBatch batch, string chain, byte protocol, string map, bool byDestination, int modulus)
    {
        var r = NfRule.Begin(batch, Table, chain);
        Meta.Load(r.Writer, Meta.NFT_META_L4PROTO, NFT_REG_1);
        Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_EQ, [protocol]);
        if (byDestination)
        {
            Payload.IPv4Destination(r.Writer, NFT_REG_1);
            Payload.TransportDestinationPort(r.Writer, NFT_REG32_01);
            Numgen.Random(r.Writer, NFT_REG32_02, (uint)modulus);
        }
        else
        {
            Payload.TransportDestinationPort(r.Writer, NFT_REG_1);
            Numgen.Random(r.Writer, NFT_REG32_01, (uint)modulus);
        }

        Lookup.Map(r.Writer, NFT_REG_1, NFT_REG_1, map);
        Nat.DestinationIPv4(r.Writer, NFT_REG_1, NFT_REG32_01, explicitFlags: false);
        r.End();
    }

    /// <summary><c>meta l4proto tcp|udp dnat to &lt;address&gt;:&lt;port&gt;</c>.</summary>
    public static void Dnat(NfBatch batch, string chain, byte protocol, IPEndPoint endpoint)
    {
        Span<byte> ip = stackalloc byte[4];
        _ = endpoint.Address.TryWriteBytes(ip, out _);
        var r = NfRule.Begin(batch, Table, chain);
        Meta.Load(r.Writer, Meta.NFT_META_L4PROTO, NFT_REG_1);
        Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_EQ, [protocol]);
        Immediate.Value(r.Writer, NFT_REG_1, ip);
        Immediate.Value(r.Writer, NFT_REG_2, [(byte)(endpoint.Port >> 8), (byte)endpoint.Port]);
        Nat.DestinationIPv4(r.Writer, NFT_REG_1, NFT_REG_2);
        r.End();
    }

    /// <summary><c>update @set { ip saddr }</c>: remember (or refresh) this client for ClientIP affinity.</summary>
    public static void UpdateAffinity(NfBatch batch, string chain, string set)
    {
        var r = NfRule.Begin(batch, Table, chain);
        Payload.IPv4Source(r.Writer, NFT_REG_1);
        Dynset.Update(r.Writer, NFT_REG_1, set);
        r.End();
    }

    /// <summary><c>ip saddr @set goto &lt;chain&gt;</c>: a remembered client keeps its endpoint.</summary>
    public static void StickyGoto(NfBatch batch, string chain, string set, string target)
    {
        var r = NfRule.Begin(batch, Table, chain);
        Payload.IPv4Source(r.Writer, NFT_REG_1);
        Lookup.InSet(r.Writer, NFT_REG_1, set);
        Immediate.Verdict(r.Writer, NFT_GOTO, target);
        r.End();
    }

    /// <summary>
    /// A uniform choice among <paramref name="targets"/>: rule i is <c>numgen random mod (N - i) == 0
    /// goto target[i]</c>, the last an unconditional goto — kube-proxy's iptables probabilities
    /// 1/N, 1/(N-1), …, 1. Not <c>numgen … vmap { … }</c>: each such rule needs an anonymous set,
    /// and the kernel names a new anonymous set by scanning every set of the table
    /// (nf_tables_set_alloc_name), quadratic in the number of services — the reason
    /// <c>nft -f</c> takes 46 s for 10,000 services here.
    /// </summary>
    public static void RandomGoto(NfBatch batch, string chain, ReadOnlySpan<string> targets)
    {
        for (var i = 0; i < targets.Length - 1; i++)
        {
            var r = NfRule.Begin(batch, Table, chain);
            Numgen.Random(r.Writer, NFT_REG_1, (uint)(targets.Length - i));
            Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_EQ, Zero);
            Immediate.Verdict(r.Writer, NFT_GOTO, targets[i]);
            r.End();
        }

        Verdict(batch, chain, NFT_GOTO, targets[^1]);
    }

    /// <summary>
    /// The reject chain: <c>meta l4proto tcp counter reject with tcp reset</c>, then <c>counter reject</c>
    /// (ICMP port unreachable); the counters say how many clients found a service without endpoints.
    /// </summary>
    public static void RejectRules(NfBatch batch)
    {
        var r = NfRule.Begin(batch, Table, RejectChain);
        Meta.Load(r.Writer, Meta.NFT_META_L4PROTO, NFT_REG_1);
        Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_EQ, [IPPROTO_TCP]);
        Counter.Write(r.Writer);
        Reject.TcpReset(r.Writer);
        r.End();
        r = NfRule.Begin(batch, Table, RejectChain);
        Counter.Write(r.Writer);
        Reject.PortUnreachable(r.Writer);
        r.End();
    }

    /// <summary><c>ct state new jump &lt;chain&gt;</c>: only the first packet of a connection needs a decision.</summary>
    public static void JumpIfNew(NfBatch batch, string from, string to)
    {
        var r = NfRule.Begin(batch, Table, from);
        Ct.LoadState(r.Writer, NFT_REG_1);
        Bitwise.MaskXor(r.Writer, NFT_REG_1, [(byte)Ct.NF_CT_STATE_NEW_BIT, 0, 0, 0], Zero);
        Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_NEQ, Zero);
        Immediate.Verdict(r.Writer, NFT_JUMP, to);
        r.End();
    }

    /// <summary><c>ip daddr . meta l4proto . th dport vmap @map</c>.</summary>
    public static void AddressVmap(NfBatch batch, string chain, string map)
    {
        var r = NfRule.Begin(batch, Table, chain);
        LoadAddressProtocolPort(r);
        Lookup.Map(r.Writer, NFT_REG_1, NFT_REG_VERDICT, map);
        r.End();
    }

    /// <summary><c>fib daddr type local meta l4proto . th dport vmap @map</c>: node ports on any local address.</summary>
    public static void NodePortVmap(NfBatch batch, string chain, string map)
    {
        var r = NfRule.Begin(batch, Table, chain);
        LoadLocalProtocolPort(r);
        Lookup.Map(r.Writer, NFT_REG_1, NFT_REG_VERDICT, map);
        r.End();
    }

    /// <summary>
    /// <c>meta l4proto &lt;protocol&gt; redirect to : ip daddr . meta l4proto . th dport map @map</c>, or for
    /// node ports <c>… fib daddr type local … meta l4proto . th dport map @map</c>: userspace mode's one rule
    /// for all service ports of a protocol.
    /// </summary>
    public static void RedirectToMappedPort(NfBatch batch, string chain, byte protocol, string map, bool nodePorts)
    {
        var r = NfRule.Begin(batch, Table, chain);
        Meta.Load(r.Writer, Meta.NFT_META_L4PROTO, NFT_REG_1);
        Cmp.Write(r.Writer, NFT_REG_1, Cmp.NFT_CMP_EQ, [protocol]);
        if (nodePorts)
        {
            LoadLocalProtocolPort(r);
        }
        else
        {
            LoadAddressProtocolPort(r);
        }

        Lookup.Map(r.Writer, NFT_REG_1, NFT_REG_1, map);
        Redir.ToPort(r.Writer, NFT_REG_1);
        r.End();
    }
}
