namespace KubeProxyFast.Linux.Netlink;

/// <summary>Called for each reply message of a dump.</summary>
public delegate void NetlinkMessageHandler(in NetlinkMessage message);
