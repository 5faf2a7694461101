using System.Net;
using System.Net.Sockets;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.Route.RouteNetlinkConstants;

namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>Routes: add, replace, delete, list (main table, or local for local routes).</summary>
public sealed partial class RouteNetlinkConnection
{
    /// <summary>Adds <paramref name="route"/> (<c>ip route add</c>); EEXIST when the table has it already.</summary>
    public void AddRoute(RouteEntry route) => ChangeRoute(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "RTM_NEWROUTE", route);

    /// <summary>Adds <paramref name="route"/>, or replaces the route to the same destination (<c>ip route replace</c>).</summary>
    public void ReplaceRoute(RouteEntry route) => ChangeRoute(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, "RTM_NEWROUTE", route);

    /// <summary>
    /// Deletes <paramref name="route"/> (<c>ip route del</c>); ESRCH when there is no such route. A
    /// route whose <see cref="RouteEntry.Protocol"/> is not boot is deleted only when the kernel's
    /// has that protocol (<c>ip route del … proto N</c>); a boot one matches any protocol.
    /// </summary>
    public void DeleteRoute(RouteEntry route) => ChangeRoute(RTM_DELROUTE, 0, "RTM_DELROUTE", route);

    /// <summary>
    /// The routes of <paramref name="family"/> in <paramref name="table"/> (<c>ip route show table
    /// TABLE</c>; the main table by default), with their output devices named.
    /// </summary>
    public IReadOnlyList<RouteEntry> ListRoutes(AddressFamily family, byte table = RouteTables.Main)
    {
        var names = new Dictionary<int, string>();
        foreach (var link in ListLinks())
        {
            names[link.Index] = link.Name;
        }

        var routes = new List<RouteEntry>();
        var header = Begin(RTM_GETROUTE, NLM_F_DUMP, RTMSG_LEN, out var start);
        header[0] = Family(family);
        Dump(start, "RTM_GETROUTE", (in NetlinkMessage message) =>
        {
            if (message.Type == RTM_NEWROUTE && ReadRoute(message.Payload, table, names) is { } route)
            {
                routes.Add(route);
            }
        });
        return routes;
    }

    private void ChangeRoute(ushort type, ushort flags, string operation, RouteEntry route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var family = Family(route.Destination.BaseAddress);
        if (route.Gateway is { } gateway && Family(gateway) != family)
        {
            throw new ArgumentException($"route {route}: the gateway is not of the destination's family", nameof(route));
        }

        var target = route.ToString();
        var device = route.Device is null ? 0 : IndexOf(route.Device, operation, target);
        var header = Begin(type, (ushort)(NLM_F_ACK | flags), RTMSG_LEN, out var start);
        header[0] = family;
        header[1] = (byte)route.Destination.PrefixLength;
        header[4] = route.Table;
        header[7] = (byte)route.Type;
        if (type == RTM_DELROUTE)
        {
            // Any scope matches, as `ip route del` asks; any protocol too unless one of our own is named.
            header[5] = route.Protocol == RouteProtocols.Boot ? (byte)0 : route.Protocol;
            header[6] = RT_SCOPE_NOWHERE;
        }
        else
        {
            header[5] = route.Protocol;
            header[6] = route.Type == RouteType.Local ? RT_SCOPE_HOST
                : route.Gateway is null && route.Type is RouteType.Unicast or RouteType.Broadcast ? RT_SCOPE_LINK
                : RT_SCOPE_UNIVERSE;
        }

        _request.PutHostU32(RTA_TABLE, route.Table);
        if (route.Destination.PrefixLength > 0)
        {
            _request.PutBytes(RTA_DST, route.Destination.BaseAddress.GetAddressBytes());
        }

        if (route.Gateway is not null)
        {
            _request.PutBytes(RTA_GATEWAY, route.Gateway.GetAddressBytes());
        }

        if (device != 0)
        {
            _request.PutHostU32(RTA_OIF, (uint)device);
        }

        Execute(start, operation, target);
    }

    private static RouteEntry? ReadRoute(ReadOnlySpan<byte> payload, byte table, Dictionary<int, string> names)
    {
        CheckLength(payload, RTMSG_LEN, "RTM_NEWROUTE");
        var family = payload[0];
        var prefixLength = payload[1];
        uint routeTable = payload[4];
        var protocol = payload[5];
        var type = (RouteType)payload[7];
        IPAddress? destination = null, gateway = null;
        string? device = null;
        foreach (var attribute in new NetlinkAttributes(payload[RTMSG_LEN..]))
        {
            switch (attribute.Type)
            {
                case RTA_TABLE:
                    routeTable = attribute.AsHostU32();
                    break;
                case RTA_DST:
                    destination = new IPAddress(attribute.Value);
                    break;
                case RTA_GATEWAY:
                    gateway = new IPAddress(attribute.Value);
                    break;
                case RTA_OIF:
                    device = names.GetValueOrDefault((int)attribute.AsHostU32());
                    break;
            }
        }

        if (routeTable != table || (family != AF_INET && family != AF_INET6))
        {
            return null;
        }

        destination ??= family == AF_INET ? IPAddress.Any : IPAddress.IPv6Any;
        return new RouteEntry(new IPNetwork(destination, prefixLength), gateway, device, type, protocol);
    }
}
