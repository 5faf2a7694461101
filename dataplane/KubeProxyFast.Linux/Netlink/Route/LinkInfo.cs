using System.Net.NetworkInformation;

namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>
/// A network link as <c>RTM_GETLINK</c> reports it: its index and name in its namespace, MTU,
/// whether it is administratively up (<c>IFF_UP</c>), the index of its master (a bridge; 0 when
/// none), its kind (<c>veth</c>, <c>bridge</c>; null for a physical or loopback device) and its
/// hardware address (null when it has none).
/// </summary>
public sealed record LinkInfo(int Index, string Name, int Mtu, bool IsUp, int MasterIndex, string? Kind, PhysicalAddress? HardwareAddress);
