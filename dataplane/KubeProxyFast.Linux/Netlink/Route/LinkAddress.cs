using System.Net;

namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>An IPv4 or IPv6 address on a link (<c>RTM_GETADDR</c>): the link's index, the address and its prefix length.</summary>
public sealed record LinkAddress(int LinkIndex, IPAddress Address, int PrefixLength)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Address}/{PrefixLength} on link {LinkIndex}";
}
