using System.Net;

namespace KubeProxyFast.Dataplane.Tests.Support;

/// <summary>
/// Distinct loopback addresses for service IPs, so tests running in parallel never collide
/// (all of 127.0.0.0/8 is local on lo; nothing leaves the machine).
/// </summary>
internal static class TestAddresses
{
    private static int _next;

    public static IPAddress NextServiceIP()
    {
        var n = Interlocked.Increment(ref _next);
        return new IPAddress([127, 77, (byte)(n / 250), (byte)((n % 250) + 1)]);
    }
}
