namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>The routing tables the kernel creates, numbered as <c>RT_TABLE_*</c> in <c>linux/rtnetlink.h</c>.</summary>
public static class RouteTables
{
    /// <summary>RT_TABLE_MAIN: where <c>ip route add</c> puts a route.</summary>
    public const byte Main = 254;

    /// <summary>RT_TABLE_LOCAL: local and broadcast routes, maintained by the kernel for each address.</summary>
    public const byte Local = 255;
}
