using System.Net;
using System.Net.NetworkInformation;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.Route.RouteNetlinkConstants;

namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>Neighbours (ARP and NDP entries): add, replace, delete — permanent, as a CNI plugin or a kubelet sets them.</summary>
public sealed partial class RouteNetlinkConnection
{
    /// <summary>
    /// Adds a permanent neighbour: <paramref name="address"/> is at <paramref name="hardwareAddress"/>
    /// on <paramref name="device"/> (<c>ip neigh add ADDRESS lladdr MAC dev DEVICE nud permanent</c>).
    /// </summary>
    public void AddNeighbour(string device, IPAddress address, PhysicalAddress hardwareAddress) =>
        ChangeNeighbour(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, device, address, hardwareAddress);

    /// <summary>Adds or replaces a permanent neighbour (<c>ip neigh replace … nud permanent</c>).</summary>
    public void ReplaceNeighbour(string device, IPAddress address, PhysicalAddress hardwareAddress) =>
        ChangeNeighbour(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, device, address, hardwareAddress);

    /// <summary>Deletes the neighbour <paramref name="address"/> on <paramref name="device"/> (<c>ip neigh del</c>).</summary>
    public void DeleteNeighbour(string device, IPAddress address) =>
        ChangeNeighbour(RTM_DELNEIGH, 0, device, address, null);

    private void ChangeNeighbour(ushort type, ushort flags, string device, IPAddress address, PhysicalAddress? hardwareAddress)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        ArgumentNullException.ThrowIfNull(address);
        var family = Family(address);
        var operation = type == RTM_NEWNEIGH ? "RTM_NEWNEIGH" : "RTM_DELNEIGH";
        var target = hardwareAddress is null ? $"{address} dev {device}" : $"{address} lladdr {Format(hardwareAddress)} dev {device}";
        var index = IndexOf(device, operation, target);

        var header = Begin(type, (ushort)(NLM_F_ACK | flags), NDMSG_LEN, out var start);
        header[0] = family;
        WriteHost(header, 4, index);
        WriteHost(header, 8, NUD_PERMANENT);
        _request.PutBytes(NDA_DST, address.GetAddressBytes());
        if (hardwareAddress is not null)
        {
            _request.PutBytes(NDA_LLADDR, hardwareAddress.GetAddressBytes());
        }

        Execute(start, operation, target);
    }

    private static string Format(PhysicalAddress address) =>
        string.Join(':', address.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
