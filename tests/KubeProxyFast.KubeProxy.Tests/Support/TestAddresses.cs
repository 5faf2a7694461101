using System.Net;

namespace KubeProxyFast.KubeProxy.Tests.Support;

/// <summary>
/// Distinct loopback addresses for cluster IPs, so tests running in parallel never collide (all
/// of 127.0.0.0/8 is local on lo; nothing leaves the machine). 127.88/16 is this project's
/// share; the dataplane tests use 127.77/16.
/// </summary>
internal static class TestAddresses
{
    private static int _next;

    public static IPAddress NextClusterIP()
    {
        var n = Interlocked.Increment(ref _next);
        return new IPAddress([127, 88, (byte)(n / 250), (byte)((n % 250) + 1)]);
    }
}
