using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.KubeProxy.Tests.Support;

/// <summary>Cluster IPs for this assembly's tests.</summary>
internal static class TestAddresses
{
    // 127.88/16 is this assembly's share of loopback; Dataplane.Tests runs at the same time, in
    // its own process, on 127.77/16.
    private static readonly LoopbackAddresses ClusterIPs = new(secondOctet: 88);

    public static IPAddress NextClusterIP() => ClusterIPs.Next();
}
