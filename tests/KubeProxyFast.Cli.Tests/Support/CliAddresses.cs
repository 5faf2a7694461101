using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Support;

/// <summary>Service addresses of this test assembly: its own share of loopback, 127.61/16, apart from the other assemblies running at the same time.</summary>
internal static class CliAddresses
{
    private static readonly LoopbackAddresses ClusterIPs = new(secondOctet: 61);

    public static IPAddress NextClusterIP() => ClusterIPs.Next();
}
