using System.Net;
using System.Text;

namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>
/// A route: its destination (<c>0.0.0.0/0</c> for the default route), and a gateway, an output
/// device, or both. A <see cref="RouteType.Local"/> route lives in the local table (as
/// <c>ip route add local</c> puts it), every other in the main table.
/// </summary>
public sealed record RouteEntry(IPNetwork Destination, IPAddress? Gateway = null, string? Device = null, RouteType Type = RouteType.Unicast)
{
    /// <summary>The routing table: local (255) for a local route, main (254) otherwise.</summary>
    public byte Table => Type == RouteType.Local ? RouteTables.Local : RouteTables.Main;

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Type != RouteType.Unicast)
        {
            text.Append(Type.ToString().ToLowerInvariant()).Append(' ');
        }

        text.Append(Destination.PrefixLength == 0 ? "default" : Destination.ToString());
        if (Gateway is not null)
        {
            text.Append(" via ").Append(Gateway);
        }

        if (Device is not null)
        {
            text.Append(" dev ").Append(Device);
        }

        return text.ToString();
    }
}
