namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>A route's type, valued as <c>rtm_type</c> in <c>linux/rtnetlink.h</c>.</summary>
public enum RouteType : byte
{
    /// <summary>RTN_UNICAST: through a gateway or directly on a link.</summary>
    Unicast = 1,

    /// <summary>RTN_LOCAL: the destination is an address of this host (<c>ip route add local</c>); lives in the local table.</summary>
    Local = 2,

    /// <summary>RTN_BROADCAST: accepted locally as broadcast, sent as broadcast.</summary>
    Broadcast = 3,

    /// <summary>RTN_ANYCAST: accepted locally as broadcast, sent as unicast.</summary>
    Anycast = 4,

    /// <summary>RTN_MULTICAST: a multicast route.</summary>
    Multicast = 5,

    /// <summary>RTN_BLACKHOLE: dropped silently.</summary>
    Blackhole = 6,

    /// <summary>RTN_UNREACHABLE: dropped with an ICMP unreachable.</summary>
    Unreachable = 7,

    /// <summary>RTN_PROHIBIT: dropped with an ICMP administratively prohibited.</summary>
    Prohibit = 8,
}
