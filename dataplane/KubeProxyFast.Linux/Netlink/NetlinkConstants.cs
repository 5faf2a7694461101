namespace KubeProxyFast.Linux.Netlink;

/// <summary>
/// Netlink and nfnetlink constants that Tmds.LibC does not carry, named as in
/// <c>linux/netlink.h</c> and <c>linux/netfilter/nfnetlink.h</c>.
/// </summary>
internal static class NetlinkConstants
{
    public const int NETLINK_NETFILTER = 12;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;

    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    public const ushort NLM_F_APPEND = 0x800;

    /// <summary>In an NLMSG_ERROR: the extended-ack TLVs follow.</summary>
    public const ushort NLM_F_ACK_TLVS = 0x200;

    /// <summary>In an NLMSG_ERROR: the original payload was left out (NETLINK_CAP_ACK).</summary>
    public const ushort NLM_F_CAPPED = 0x100;

    public const ushort NLMSGERR_ATTR_MSG = 1;

    public const ushort NLA_F_NESTED = 0x8000;
    public const ushort NLA_TYPE_MASK = 0x3fff;

    public const int NLMSG_HDRLEN = 16;
    public const int NLA_HDRLEN = 4;
    public const int NFGENMSG_LEN = 4;

    public const ushort NFNL_MSG_BATCH_BEGIN = 16;
    public const ushort NFNL_MSG_BATCH_END = 17;
    public const byte NFNL_SUBSYS_CTNETLINK = 1;
    public const byte NFNL_SUBSYS_NFTABLES = 10;
    public const byte NFNETLINK_V0 = 0;

    public const byte NFPROTO_UNSPEC = 0;
    public const byte NFPROTO_IPV4 = 2;

    /// <summary>Netlink messages and attributes are aligned to 4 bytes.</summary>
    public static int Align(int length) => (length + 3) & ~3;
}
