namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>
/// rtnetlink constants, named and valued as in <c>linux/rtnetlink.h</c>, <c>if_link.h</c>,
/// <c>veth.h</c>, <c>if_addr.h</c>, <c>neighbour.h</c> and <c>if.h</c>.
/// </summary>
internal static class RouteNetlinkConstants
{
    public const int NETLINK_ROUTE = 0;

    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;

    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;

    /// <summary><c>sizeof(struct ifinfomsg)</c>: family, pad, type (u16), index (s32), flags (u32), change (u32).</summary>
    public const int IFINFOMSG_LEN = 16;

    /// <summary><c>sizeof(struct ifaddrmsg)</c>: family, prefixlen, flags, scope, index (u32).</summary>
    public const int IFADDRMSG_LEN = 8;

    /// <summary><c>sizeof(struct rtmsg)</c>: family, dst_len, src_len, tos, table, protocol, scope, type, flags (u32).</summary>
    public const int RTMSG_LEN = 12;

    /// <summary><c>sizeof(struct ndmsg)</c>: family, pad, pad (u16), ifindex (s32), state (u16), flags, type.</summary>
    public const int NDMSG_LEN = 12;

    public const uint IFF_UP = 0x1;

    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_NET_NS_FD = 28;

    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;

    public const ushort VETH_INFO_PEER = 1;

    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;

    public const ushort RTA_DST = 1;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_TABLE = 15;

    public const byte RTPROT_BOOT = 3;

    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_LINK = 253;
    public const byte RT_SCOPE_HOST = 254;
    public const byte RT_SCOPE_NOWHERE = 255;

    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;

    public const ushort NUD_PERMANENT = 0x80;
}
