using System.Globalization;
using System.Net;

namespace KubeProxyFast.ApiServer.Proxy;

/// <summary>Where one proxied request goes: an address already checked, never a name.</summary>
internal readonly record struct ProxyDestination(IPAddress Address, int Port)
{
    /// <summary><c>ip:port</c>, brackets around IPv6, for URLs and messages.</summary>
    public override string ToString() =>
        (Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + Address + "]" : Address.ToString()) +
        ":" + Port.ToString(CultureInfo.InvariantCulture);
}
