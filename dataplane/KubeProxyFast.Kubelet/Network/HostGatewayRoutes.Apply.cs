using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Netlink.Route;

namespace KubeProxyFast.Kubelet.Network;

/// <summary>What routes the Nodes ask for, and making the table hold exactly those of ours.</summary>
public sealed partial class HostGatewayRoutes
{
    /// <summary>
    /// The route to each Node's podCIDR through its InternalIP, except <paramref name="nodeName"/>'s
    /// own and Nodes lacking either (IPv4 only, the first of each). When two Nodes claim one
    /// podCIDR, the first by name wins (an IPAM bug; the route must still be one).
    /// </summary>
    public static IReadOnlyList<RouteEntry> WantedRoutes(string nodeName, IEnumerable<Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var routes = new Dictionary<IPNetwork, RouteEntry>();
        foreach (var node in nodes.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            if (node.Metadata.Name != nodeName && WantedRoute(node) is { } route)
            {
                routes.TryAdd(route.Destination, route);
            }
        }

        return [.. routes.Values];
    }

    /// <summary>The route <paramref name="node"/>'s pods are reached by, or null when it has no IPv4 podCIDR or InternalIP.</summary>
    internal static RouteEntry? WantedRoute(Node node)
    {
        var cidrs = node.Spec?.PodCIDRs is { Count: > 0 } all ? all : node.Spec?.PodCIDR is { } one ? [one] : [];
        var podCidr = cidrs.Select(c => IPNetwork.TryParse(c, out var n) ? n : (IPNetwork?)null)
            .FirstOrDefault(n => n?.BaseAddress.AddressFamily == AddressFamily.InterNetwork);
        var gateway = node.Status?.Addresses?
            .Where(a => a.Type == NodeAddressTypes.InternalIP)
            .Select(a => IPAddress.TryParse(a.Address, out var ip) ? ip : null)
            .FirstOrDefault(ip => ip?.AddressFamily == AddressFamily.InterNetwork);
        return podCidr is { } destination && gateway is not null
            ? new RouteEntry(destination, gateway, Protocol: Protocol)
            : null;
    }

    /// <summary>
    /// Makes our routes in the main table equal <paramref name="wanted"/>: each failure (a gateway
    /// not on a connected link, a foreign route to that podCIDR) is returned and the rest still applied.
    /// </summary>
    private List<string> Apply(IReadOnlyList<RouteEntry> wanted)
    {
        var errors = new List<string>();
        var table = _routes.ListRoutes(AddressFamily.InterNetwork);
        var ours = table.Where(r => r.Protocol == Protocol).ToList();
        var foreign = table.Where(r => r.Protocol != Protocol).Select(r => r.Destination).ToHashSet();
        var wantedDestinations = wanted.Select(r => r.Destination).ToHashSet();
        foreach (var stale in ours.Where(r => !wantedDestinations.Contains(r.Destination)))
        {
            Try(errors, () =>
            {
                _routes.DeleteRoute(stale with { Device = null });
                Log.Deleted(_logger, stale.ToString());
            });
        }

        foreach (var route in wanted)
        {
            if (ours.Any(r => r.Destination == route.Destination && Equals(r.Gateway, route.Gateway)))
            {
                continue;
            }

            if (foreign.Contains(route.Destination))
            {
                errors.Add($"{route}: the table has a route to {route.Destination} that kpf did not make; left alone");
                continue;
            }

            Try(errors, () =>
            {
                _routes.ReplaceRoute(route);
                Log.Set(_logger, route.ToString());
            });
        }

        _applied = [.. _routes.ListRoutes(AddressFamily.InterNetwork).Where(r => r.Protocol == Protocol)];
        return errors;
    }

    private static void Try(List<string> errors, Action change)
    {
        try
        {
            change();
        }
        catch (NetlinkException e)
        {
            errors.Add(e.Message);
        }
    }
}
