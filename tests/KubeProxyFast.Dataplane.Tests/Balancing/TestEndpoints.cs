using System.Collections.Immutable;
using System.Net;
using KubeProxyFast.Dataplane.Balancing;

namespace KubeProxyFast.Dataplane.Tests.Balancing;

internal static class TestEndpoints
{
    /// <summary>A set of endpoints 198.18.0.1:8080, 198.18.0.2:8080, …</summary>
    public static EndpointSet Set(int count, EndpointSet? previous = null)
    {
        var builder = ImmutableArray.CreateBuilder<IPEndPoint>(count);
        for (var i = 0; i < count; i++)
        {
            builder.Add(EndPoint(i + 1));
        }

        return new EndpointSet(builder.MoveToImmutable(), previous);
    }

    public static EndpointSet Set(params string[] endpoints)
    {
        var builder = ImmutableArray.CreateBuilder<IPEndPoint>(endpoints.Length);
        foreach (var e in endpoints)
        {
            builder.Add(IPEndPoint.Parse(e));
        }

        return new EndpointSet(builder.MoveToImmutable());
    }

    public static IPEndPoint EndPoint(int host) => new(new IPAddress([198, 18, (byte)(host >> 8), (byte)host]), 8080);

    /// <summary>Client 198.19.x.y for a small integer.</summary>
    public static ClientAddress Client(int n) => ClientAddress.FromIPv4(0xC6130000u + (uint)n);

    /// <summary>Client 2001:db8::n.</summary>
    public static ClientAddress Client6(int n)
    {
        var bytes = new byte[16];
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = 0x0d;
        bytes[3] = 0xb8;
        bytes[14] = (byte)(n >> 8);
        bytes[15] = (byte)n;
        return ClientAddress.FromIPv6(bytes);
    }
}
