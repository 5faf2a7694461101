using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Dataplane.Tests.Support;

/// <summary>Service IPs for this assembly's tests.</summary>
internal static class TestAddresses
{
    // 127.77/16 is this assembly's share of loopback; KubeProxy.Tests runs at the same time, in
    // its own process, on 127.88/16.
    private static readonly LoopbackAddresses ServiceIPs = new(secondOctet: 77);

    public static IPAddress NextServiceIP() => ServiceIPs.Next();
}
