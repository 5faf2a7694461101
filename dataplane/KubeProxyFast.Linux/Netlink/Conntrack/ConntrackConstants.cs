namespace KubeProxyFast.Linux.Netlink.Conntrack;

/// <summary>
/// The ctnetlink vocabulary we use, named exactly as in <c>linux/netfilter/nfnetlink_conntrack.h</c>
/// (and <c>netinet/in.h</c> for the protocol number), so a reader can check each against the header.
/// </summary>
public static class ConntrackConstants
{
    // enum cntl_msg_types; a dump answers with IPCTNL_MSG_CT_NEW messages.
    public const ushort IPCTNL_MSG_CT_NEW = 0;
    public const ushort IPCTNL_MSG_CT_GET = 1;
    public const ushort IPCTNL_MSG_CT_DELETE = 2;

    // enum ctattr_type
    public const ushort CTA_TUPLE_ORIG = 1;
    public const ushort CTA_TUPLE_REPLY = 2;
    public const ushort CTA_ID = 12;

    // enum ctattr_tuple
    public const ushort CTA_TUPLE_IP = 1;
    public const ushort CTA_TUPLE_PROTO = 2;

    // enum ctattr_ip
    public const ushort CTA_IP_V4_SRC = 1;
    public const ushort CTA_IP_V4_DST = 2;

    // enum ctattr_l4proto
    public const ushort CTA_PROTO_NUM = 1;
    public const ushort CTA_PROTO_SRC_PORT = 2;
    public const ushort CTA_PROTO_DST_PORT = 3;

    public const byte IPPROTO_TCP = 6;
    public const byte IPPROTO_UDP = 17;
}
