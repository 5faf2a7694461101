using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Linux.Netlink.NfTables;
using KubeProxyFast.Linux.Netlink.NfTables.Expressions;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Kubelet.Network;

/// <summary>
/// Masquerade of pod traffic leaving the cluster, in a table of our own so that nothing else's
/// rules are touched (kube-proxy's is <c>ip kpf</c>):
/// <code>
/// table ip kpf-agent {
///   chain postrouting {
///     type nat hook postrouting priority srcnat;
///     ip saddr CLUSTER-CIDR ip daddr != CLUSTER-CIDR ip daddr != 224.0.0.0/4 masquerade
///   }
/// }
/// </code>
/// Pod-to-pod traffic (on this node or, over the host-gw routes, on another) keeps the pod's
/// address; traffic to anything else leaves with the node's, so replies find their way back
/// (the bridge plugin's own masquerade is off). Multicast is left alone, as flannel does.
/// <see cref="Apply"/> recreates the table in one transaction (idempotent, and it repairs a
/// changed table); <see cref="Delete"/> removes it. The rules go to the network namespace of the
/// connection given (the one of the thread that opened it).
/// </summary>
public sealed class PodMasquerade : IDisposable
{
    /// <summary>Our table (family ip).</summary>
    public const string Table = "kpf-agent";

    /// <summary>The base chain on the postrouting hook.</summary>
    public const string Chain = "postrouting";

    // NF_IP_PRI_NAT_SRC, which nft names srcnat.
    private const int SrcNatPriority = 100;

    private static readonly IPNetwork Multicast = IPNetwork.Parse("224.0.0.0/4");

    private readonly NfTablesConnection _connection;
    private readonly bool _ownsConnection;
    private readonly NfBatch _batch;

    /// <summary>Masquerade for pods of <paramref name="clusterCidr"/> (IPv4), through <paramref name="connection"/>.</summary>
    /// <param name="clusterCidr">The cluster's pod range (<c>--cluster-cidr</c>).</param>
    /// <param name="connection">nf_tables in the node's namespace; used by one thread at a time.</param>
    /// <param name="ownsConnection">Dispose <paramref name="connection"/> on dispose.</param>
    public PodMasquerade(IPNetwork clusterCidr, NfTablesConnection connection, bool ownsConnection = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (clusterCidr.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"cluster CIDR {clusterCidr}: only IPv4 is masqueraded", nameof(clusterCidr));
        }

        ClusterCidr = clusterCidr;
        _connection = connection;
        _ownsConnection = ownsConnection;
        _batch = connection.CreateBatch();
    }

    /// <summary>The cluster's pod range.</summary>
    public IPNetwork ClusterCidr { get; }

    /// <summary>Writes the table afresh (add, delete, add in one transaction: never a moment without the rule when it was there); throws <see cref="Linux.Netlink.NetfilterException"/> when refused.</summary>
    public void Apply()
    {
        _connection.ResetBatch(_batch);
        NfTable.Add(_batch, Table);
        NfTable.Delete(_batch, Table);
        NfTable.Add(_batch, Table);
        NfChain.AddBase(_batch, Table, Chain, "nat", NF_INET_POST_ROUTING, SrcNatPriority);
        var r = NfRule.Begin(_batch, Table, Chain);
        Match(r, source: true, Cmp.NFT_CMP_EQ, ClusterCidr);
        Match(r, source: false, Cmp.NFT_CMP_NEQ, ClusterCidr);
        Match(r, source: false, Cmp.NFT_CMP_NEQ, Multicast);
        Masq.Write(r.Writer);
        r.End();
        _connection.Commit(_batch);
    }

    /// <summary>True when our table exists (with whatever is in it).</summary>
    public bool Exists() => NfTableReader.Read(_connection, Table) is not null;

    /// <summary>Deletes the table; none there is not an error.</summary>
    public void Delete()
    {
        _connection.ResetBatch(_batch);
        // Add first so that the delete cannot fail with ENOENT.
        NfTable.Add(_batch, Table);
        NfTable.Delete(_batch, Table);
        _connection.Commit(_batch);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _batch.Dispose();
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    /// <summary><c>ip saddr|daddr [!=] NETWORK</c>: load the address, mask it to the prefix, compare with the network.</summary>
    private static void Match(NfRule r, bool source, uint op, IPNetwork network)
    {
        if (source)
        {
            Payload.IPv4Source(r.Writer, NFT_REG_1);
        }
        else
        {
            Payload.IPv4Destination(r.Writer, NFT_REG_1);
        }

        Span<byte> mask = stackalloc byte[4];
        var bits = network.PrefixLength == 0 ? 0u : uint.MaxValue << (32 - network.PrefixLength);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(mask, bits);
        Span<byte> zero = stackalloc byte[4];
        zero.Clear();
        Bitwise.MaskXor(r.Writer, NFT_REG_1, mask, zero);
        Span<byte> prefix = stackalloc byte[4];
        network.BaseAddress.TryWriteBytes(prefix, out _);
        Cmp.Write(r.Writer, NFT_REG_1, op, prefix);
    }
}
