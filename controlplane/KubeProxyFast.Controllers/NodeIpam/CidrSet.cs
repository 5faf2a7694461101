using System.Net;
using System.Net.Sockets;

namespace KubeProxyFast.Controllers.NodeIpam;

/// <summary>
/// The node subnets of one IPv4 cluster CIDR (e.g. the 256 /24s of a /16) as a bitmap, as
/// Kubernetes' <c>cidrset</c>: <see cref="TryAllocateNext"/> hands out the next free subnet after
/// the last one handed out (wrapping), so a subnet just released is not reused at once.
/// Not thread-safe: its owner locks.
/// </summary>
internal sealed class CidrSet
{
    // Kubernetes' clusterSubnetMaxDiff: at most 2^16 node subnets, so the bitmap stays 8 KiB.
    private const int MaxMaskDifference = 16;

    private readonly uint _base;
    private readonly ulong[] _bits;
    private int _next;

    private CidrSet(IPNetwork cluster, int nodeMaskSize)
    {
        Cluster = cluster;
        NodeMaskSize = nodeMaskSize;
        _base = ToUInt32(cluster.BaseAddress);
        Max = 1 << (nodeMaskSize - cluster.PrefixLength);
        _bits = new ulong[(Max + 63) / 64];
    }

    /// <summary>The cluster CIDR.</summary>
    public IPNetwork Cluster { get; }

    /// <summary>The prefix length of each node's subnet.</summary>
    public int NodeMaskSize { get; }

    /// <summary>How many node subnets the cluster CIDR holds.</summary>
    public int Max { get; }

    /// <summary>How many are in use.</summary>
    public int Used { get; private set; }

    /// <summary>The set of <paramref name="nodeMaskSize"/> subnets of <paramref name="cluster"/>.</summary>
    /// <exception cref="ArgumentException">Not IPv4, the node mask is not longer than the cluster's, or it makes more than 2^16 subnets.</exception>
    public static CidrSet Create(IPNetwork cluster, int nodeMaskSize)
    {
        if (cluster.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"cluster CIDR {cluster} is not IPv4: only IPv4 pod CIDRs are supported");
        }

        if (nodeMaskSize < cluster.PrefixLength || nodeMaskSize > 32)
        {
            throw new ArgumentException($"node CIDR mask size {nodeMaskSize} must be between the cluster CIDR's mask size ({cluster.PrefixLength}) and 32");
        }

        if (nodeMaskSize - cluster.PrefixLength > MaxMaskDifference)
        {
            throw new ArgumentException(
                $"node CIDR mask size {nodeMaskSize} is too big for cluster CIDR {cluster}: the difference of the mask sizes must be at most {MaxMaskDifference}");
        }

        return new CidrSet(cluster, nodeMaskSize);
    }

    /// <summary>Takes the next free subnet; false when every one is in use.</summary>
    public bool TryAllocateNext(out IPNetwork cidr)
    {
        for (var i = 0; i < Max; i++)
        {
            var candidate = (_next + i) % Max;
            if (!IsSet(candidate))
            {
                Set(candidate, true);
                _next = (candidate + 1) % Max;
                cidr = SubnetAt(candidate);
                return true;
            }
        }

        cidr = default;
        return false;
    }

    /// <summary>Marks every subnet that overlaps <paramref name="cidr"/> as used (a node's existing CIDR, the service range).</summary>
    /// <exception cref="ArgumentException"><paramref name="cidr"/> does not overlap the cluster CIDR.</exception>
    public void Occupy(IPNetwork cidr)
    {
        var (begin, end) = IndicesOf(cidr);
        for (var i = begin; i <= end; i++)
        {
            Set(i, true);
        }
    }

    /// <summary>Marks every subnet that overlaps <paramref name="cidr"/> as free.</summary>
    /// <exception cref="ArgumentException"><paramref name="cidr"/> does not overlap the cluster CIDR.</exception>
    public void Release(IPNetwork cidr)
    {
        var (begin, end) = IndicesOf(cidr);
        for (var i = begin; i <= end; i++)
        {
            Set(i, false);
        }
    }

    /// <summary>True when <paramref name="cidr"/> overlaps the cluster CIDR.</summary>
    public bool Overlaps(IPNetwork cidr) =>
        cidr.BaseAddress.AddressFamily == AddressFamily.InterNetwork
        && (Cluster.Contains(cidr.BaseAddress) || cidr.Contains(Cluster.BaseAddress));

    private (int Begin, int End) IndicesOf(IPNetwork cidr)
    {
        if (!Overlaps(cidr))
        {
            throw new ArgumentException($"cidr {cidr} is out the range of cluster cidr {Cluster}");
        }

        if (cidr.PrefixLength <= Cluster.PrefixLength)
        {
            return (0, Max - 1);
        }

        var first = ToUInt32(cidr.BaseAddress);
        var last = first + (uint)((1UL << (32 - cidr.PrefixLength)) - 1);
        var shift = 32 - NodeMaskSize;
        return ((int)((first - _base) >> shift), (int)((last - _base) >> shift));
    }

    private IPNetwork SubnetAt(int index)
    {
        var address = _base + ((uint)index << (32 - NodeMaskSize));
        return new IPNetwork(new IPAddress([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address]), NodeMaskSize);
    }

    private bool IsSet(int index) => (_bits[index >> 6] & (1UL << (index & 63))) != 0;

    private void Set(int index, bool used)
    {
        if (IsSet(index) == used)
        {
            return;
        }

        _bits[index >> 6] ^= 1UL << (index & 63);
        Used += used ? 1 : -1;
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}
