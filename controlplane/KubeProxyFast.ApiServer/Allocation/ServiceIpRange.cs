using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KubeProxyFast.ApiServer.Allocation;

/// <summary>
/// The IPv4 range cluster IPs come from (<c>--service-cluster-ip-range</c>). Offsets count from
/// the first usable address; the network and broadcast addresses are never handed out, and the
/// first usable one is kept for the <c>kubernetes</c> service as in Kubernetes.
/// </summary>
internal sealed class ServiceIpRange
{
    private readonly uint _network;
    private readonly int _prefix;

    private ServiceIpRange(uint network, int prefix)
    {
        _network = network;
        _prefix = prefix;
        // Usable: network+1 … broadcast-1.
        Size = (int)Math.Min(int.MaxValue, (1L << (32 - prefix)) - 2);
    }

    /// <summary>How many addresses can be allocated.</summary>
    public int Size { get; }

    /// <summary>The CIDR as given.</summary>
    public override string ToString() => Address(_network) + "/" + _prefix.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses an IPv4 CIDR of at least 4 addresses.</summary>
    /// <exception cref="FormatException">The text names the problem.</exception>
    public static ServiceIpRange Parse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix is < 1 or > 30)
        {
            throw new FormatException($"service cluster IP range \"{cidr}\" is not an IPv4 CIDR with a prefix length from 1 to 30 (e.g. 10.0.0.0/16)");
        }

        var value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        var mask = uint.MaxValue << (32 - prefix);
        return new ServiceIpRange(value & mask, prefix);
    }

    /// <summary>The offset of <paramref name="ip"/>, or -1 when it is not a usable address of the range.</summary>
    public int Offset(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return -1;
        }

        var value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        var offset = (long)value - _network - 1;
        return offset >= 0 && offset < Size ? (int)offset : -1;
    }

    /// <summary>The address at <paramref name="offset"/>.</summary>
    public string At(int offset) => Address(_network + 1 + (uint)offset);

    private static string Address(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes).ToString();
    }
}
