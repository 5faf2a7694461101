namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>
/// Values of a route's <c>rtm_protocol</c> (who made it), as <c>RTPROT_*</c> in
/// <c>linux/rtnetlink.h</c>; values above <see cref="Static"/> are free for routing daemons
/// (<c>/etc/iproute2/rt_protos</c> names some).
/// </summary>
public static class RouteProtocols
{
    /// <summary>RTPROT_KERNEL: made by the kernel (connected and local routes of an address).</summary>
    public const byte Kernel = 2;

    /// <summary>RTPROT_BOOT: made by a user or a program (<c>ip route add</c> without <c>proto</c>).</summary>
    public const byte Boot = 3;

    /// <summary>RTPROT_STATIC: made by an administrator to override routing daemons.</summary>
    public const byte Static = 4;
}
