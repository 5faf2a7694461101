using System.Net;
using System.Net.Sockets;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.Route.RouteNetlinkConstants;

namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>Addresses: add, delete, list (IPv4 and IPv6, with their prefix length).</summary>
public sealed partial class RouteNetlinkConnection
{
    /// <summary>
    /// Adds <paramref name="address"/>/<paramref name="prefixLength"/> to <paramref name="device"/>
    /// (<c>ip addr add ADDRESS/PREFIX dev DEVICE</c>); the kernel adds the prefix route when the link is up.
    /// </summary>
    public void AddAddress(string device, IPAddress address, int prefixLength) =>
        ChangeAddress(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, device, address, prefixLength);

    /// <summary>Deletes <paramref name="address"/>/<paramref name="prefixLength"/> from <paramref name="device"/> (<c>ip addr del</c>).</summary>
    public void DeleteAddress(string device, IPAddress address, int prefixLength) =>
        ChangeAddress(RTM_DELADDR, 0, device, address, prefixLength);

    /// <summary>
    /// The addresses of <paramref name="family"/> (<see cref="AddressFamily.Unspecified"/>: both)
    /// on <paramref name="device"/>, or on every link when it is null (<c>ip addr show</c>).
    /// </summary>
    public IReadOnlyList<LinkAddress> ListAddresses(string? device = null, AddressFamily family = AddressFamily.Unspecified)
    {
        var index = device is null ? 0 : IndexOf(device, "RTM_GETADDR", "dev " + device);
        var addresses = new List<LinkAddress>();
        var header = Begin(RTM_GETADDR, NLM_F_DUMP, IFADDRMSG_LEN, out var start);
        header[0] = Family(family);
        Dump(start, "RTM_GETADDR", (in NetlinkMessage message) =>
        {
            if (message.Type != RTM_NEWADDR)
            {
                return;
            }

            var address = ReadLinkAddress(message.Payload);
            if (address is not null && (index == 0 || address.LinkIndex == index))
            {
                addresses.Add(address);
            }
        });
        return addresses;
    }

    private void ChangeAddress(ushort type, ushort flags, string device, IPAddress address, int prefixLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        ArgumentNullException.ThrowIfNull(address);
        var family = Family(address);
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, family == AF_INET ? 32 : 128);
        var operation = type == RTM_NEWADDR ? "RTM_NEWADDR" : "RTM_DELADDR";
        var target = $"{address}/{prefixLength} dev {device}";
        var index = IndexOf(device, operation, target);

        var header = Begin(type, (ushort)(NLM_F_ACK | flags), IFADDRMSG_LEN, out var start);
        header[0] = family;
        header[1] = (byte)prefixLength;
        header[3] = RT_SCOPE_UNIVERSE;
        WriteHost(header, 4, index);

        // As iproute2 sends it: IFA_LOCAL is the address itself, IFA_ADDRESS the peer (itself
        // when there is no peer).
        var bytes = address.GetAddressBytes();
        _request.PutBytes(IFA_LOCAL, bytes);
        _request.PutBytes(IFA_ADDRESS, bytes);
        Execute(start, operation, target);
    }

    private static LinkAddress? ReadLinkAddress(ReadOnlySpan<byte> payload)
    {
        CheckLength(payload, IFADDRMSG_LEN, "RTM_NEWADDR");
        var attributes = new NetlinkAttributes(payload[IFADDRMSG_LEN..]);

        // IPv4 reports the local address in IFA_LOCAL (IFA_ADDRESS is the peer); IPv6 only IFA_ADDRESS.
        if (!attributes.TryFind(IFA_LOCAL, out var value) && !attributes.TryFind(IFA_ADDRESS, out value))
        {
            return null;
        }

        return new LinkAddress(ReadHostInt32(payload, 4), new IPAddress(value.Value), payload[1]);
    }
}
