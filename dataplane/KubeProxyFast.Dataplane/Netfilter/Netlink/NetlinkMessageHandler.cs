namespace KubeProxyFast.Dataplane.Netfilter.Netlink;

/// <summary>Called for each reply message of a dump.</summary>
internal delegate void NetlinkMessageHandler(in NetlinkMessage message);
