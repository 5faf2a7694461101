using System.Net;
using System.Text;

namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>
/// A route: its destination (<c>0.0.0.0/0</c> for the default route), and a gateway, an output
/// device, or both. A <see cref="RouteType.Local"/> route lives in the local table (as
/// <c>ip route add local</c> puts it), every other in the main table. <paramref name="Protocol"/>
/// (<c>rtm_protocol</c>) says who made it: <see cref="RouteProtocols.Boot"/>, as <c>ip route add</c>,
/// unless a program marks its own routes with a value of its own (<c>ip route add … proto N</c>).
/// </summary>
public sealed record RouteEntry(IPNetwork Destination, IPAddress? Gateway = null, string? Device = null, RouteType Type = RouteType.Unicast, byte Protocol = RouteProtocols.Boot)
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

        if (Protocol != RouteProtocols.Boot)
        {
            text.Append(" proto ").Append(Protocol);
        }

        return text.ToString();
    }
}
