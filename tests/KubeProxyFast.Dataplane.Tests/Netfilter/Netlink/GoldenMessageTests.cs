using System.Buffers.Binary;
using System.Net;
using System.Text;
using KubeProxyFast.Dataplane.Netfilter.Rulesets;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink.NfTables;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.Netlink;

/// <summary>
/// Our messages byte for byte against what nft 1.0.6 sends for the same command (the command is
/// beside each golden file in Golden/commands.txt; Golden/capture.sh regenerates them). Header
/// sequence numbers, set ids (nft's own counters), nft's private user data and the attribute
/// type of set elements in a list (nft numbers them 1, 2, …; the kernel reads none) are left out
/// of the comparison; everything the kernel interprets is compared.
/// </summary>
public sealed class GoldenMessageTests
{
    public static TheoryData<string> Names => [.. Writers.Keys];

    private static readonly Dictionary<string, Action<NfBatch>> Writers = new()
    {
        ["table"] = b => NfTable.Add(b, "kpf2"),
        ["base-chain"] = b => NfChain.AddBase(b, "kpf", "output", "nat", NF_INET_LOCAL_OUT, NF_IP_PRI_NAT_DST),
        ["chain"] = b => NfChain.Add(b, "kpf", "ep2"),
        ["mark-masq"] = RuleWriters.SetMasqueradeMark,
        ["masquerade"] = RuleWriters.MasqueradeMarked,
        ["dnat"] = b => RuleWriters.Dnat(b, "ep", IPPROTO_TCP, new IPEndPoint(IPAddress.Parse("198.18.1.1"), 8080)),
        ["vmap"] = b => RuleWriters.AddressVmap(b, "svc", "services"),
        ["nodeports"] = b => RuleWriters.NodePortVmap(b, "svc", "nodeports"),
        ["element"] = b => MapEntries.Write(b, "services", [new MapElement("services", IPAddress.Parse("198.18.0.1"), L4Protocol.Tcp, 80, "svc")], delete: false),
        ["update-aff"] = b => RuleWriters.UpdateAffinity(b, "ep", "aff"),
        ["sticky"] = b => RuleWriters.StickyGoto(b, "svc", "aff", "ep"),
        ["numgen"] = b => RuleWriters.RandomGoto(b, "svc", ["ep", "masq-mark"]),
        ["reject"] = RuleWriters.RejectRules,
        ["redirect-map"] = b => RuleWriters.RedirectToMappedPort(b, "services", IPPROTO_TCP, "proxy-ports", nodePorts: false),
        ["redirect-np"] = b => RuleWriters.RedirectToMappedPort(b, "services", IPPROTO_UDP, "proxy-nodeports", nodePorts: true),
        ["map"] = b => NfSet.Add(b, "kpf", "services2", KernelRuleset.AddressMap, b.NewSetId()),
        ["endpoints-map"] = b => NfSet.Add(b, "kpf", "endpoints2", KernelRuleset.EndpointMapShape, b.NewSetId(), userdata: NftTypeof.EndpointMap),
        ["nodeport-endpoints-map"] = b => NfSet.Add(b, "kpf", "nodeport-endpoints2", KernelRuleset.NodePortEndpointMapShape, b.NewSetId(), userdata: NftTypeof.NodePortEndpointMap),
        ["hairpin-set"] = b => NfSet.Add(b, "kpf", "hairpin2", KernelRuleset.HairpinShape, b.NewSetId()),
        ["dnat-map"] = b => RuleWriters.DnatByMap(b, "svc", IPPROTO_TCP, "endpoints", byDestination: true, 3),
        ["dnat-nodeport-map"] = b => RuleWriters.DnatByMap(b, "svc", IPPROTO_TCP, "nodeport-endpoints", byDestination: false, 3),
        ["hairpin-masq"] = RuleWriters.HairpinMasquerade,
        ["endpoint-element"] = b => MapEntries.Write(b, "endpoints", [new EndpointSlot("endpoints", IPAddress.Parse("198.19.0.10"), 80, 2, new IPEndPoint(IPAddress.Parse("198.18.1.1"), 8080))], delete: false),
        ["hairpin-element"] = b => HairpinElements.Write(b, [IPAddress.Parse("198.18.1.1")], delete: false),
        ["affinity-set"] = b => NfSet.Add(b, "kpf", "aff2", KernelRuleset.AffinitySetShape, b.NewSetId(), TimeSpan.FromHours(3), KernelRuleset.AffinitySetSize),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Message_SameCommandAsNft_SameBytes(string name)
    {
        var golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Netfilter", "Golden", name + ".hex"))
            .Where(l => l.Length > 0).Select(Convert.FromHexString).ToList();
        using var batch = new NfBatch(0);
        Writers[name](batch);
        var ours = Messages(batch.Writer.Written);

        Assert.Equal(golden.Count, ours.Count);
        for (var i = 0; i < golden.Count; i++)
        {
            var expected = Describe(golden[i]);
            var actual = Describe(ours[i]);
            Assert.True(expected == actual, $"message {i} of {name} differs\nnft:  {Convert.ToHexString(golden[i])}\nours: {Convert.ToHexString(ours[i])}\n--- nft\n{expected}\n--- ours\n{actual}");
        }
    }

    /// <summary>The messages after the batch-begin marker.</summary>
    private static List<byte[]> Messages(ReadOnlySpan<byte> batch)
    {
        var list = new List<byte[]>();
        var offset = 0;
        while (offset + 16 <= batch.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(batch[offset..]);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(batch[(offset + 4)..]);
            if (type >> 8 == 10)
            {
                list.Add(batch.Slice(offset, length).ToArray());
            }

            offset += (length + 3) & ~3;
        }

        return list;
    }

    /// <summary>Type, flags, nfgenmsg and the attribute tree as text; set ids and user data left out.</summary>
    private static string Describe(byte[] message)
    {
        var text = new StringBuilder();
        var type = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4));
        text.Append($"type {type:x} flags {BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(6)):x} nfgen {Convert.ToHexString(message, 16, 4)}\n");
        Attributes(message.AsSpan(20), (byte)type, "", null, text);
        return text.ToString();
    }

    private static void Attributes(ReadOnlySpan<byte> data, byte messageType, string indent, string? expression, StringBuilder text)
    {
        var offset = 0;
        while (offset + 4 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
            var raw = BinaryPrimitives.ReadUInt16LittleEndian(data[(offset + 2)..]);
            var type = raw & 0x3fff;
            var value = data.Slice(offset + 4, length - 4);
            offset += (length + 3) & ~3;
            if (IsIgnored(messageType, indent.Length, expression, type))
            {
                continue;
            }

            if ((raw & 0x8000) != 0)
            {
                var isListedElement = messageType == NFT_MSG_NEWSETELEM && indent.Length == 2;
                text.Append(isListedElement ? $"{indent}element:\n" : $"{indent}{type}:\n");
                var name = expression;
                if (indent.Length > 0 && value.Length > 8 && BinaryPrimitives.ReadUInt16LittleEndian(value[2..]) == 1)
                {
                    // A list element: its first attribute names the expression whose data follows.
                    var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(value);
                    name = Encoding.ASCII.GetString(value.Slice(4, nameLength - 4)).TrimEnd('\0');
                }

                Attributes(value, messageType, indent + "  ", name, text);
            }
            else
            {
                text.Append($"{indent}{type}={Convert.ToHexString(value)}\n");
            }
        }
    }

    // NFTA_SET_ID/NFTA_SET_USERDATA of a new set, NFTA_SET_ELEM_LIST_SET_ID of elements,
    // NFTA_LOOKUP_SET_ID and NFTA_DYNSET_SET_ID in a rule: nft's counters and private data.
    private static bool IsIgnored(byte messageType, int depth, string? expression, int type) =>
        (messageType == NFT_MSG_NEWSET && depth == 0 && type is NFTA_SET_ID or NFTA_SET_USERDATA) ||
        (messageType == NFT_MSG_NEWSETELEM && depth == 0 && type == NFTA_SET_ELEM_LIST_SET_ID) ||
        (expression == "lookup" && type == 4 && depth >= 6) ||
        (expression == "dynset" && type == 2 && depth >= 6);
}
