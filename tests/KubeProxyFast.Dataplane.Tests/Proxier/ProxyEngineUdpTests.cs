using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Dataplane.Tests.Proxier;

/// <summary>UDP service ports: request/response through the service address, sessions, expiry, refusal.</summary>
public sealed class ProxyEngineUdpTests
{
    // Sessions live for seconds here: with kube-proxy's 250 ms default, a reply delayed by a
    // loaded test machine would arrive after its session expired and be dropped (as it would be
    // by kube-proxy). Expiry itself is tested with a short timeout below.
    private static readonly ProxyEngineOptions Options = new()
    {
        Threads = 1,
        Balancing = BalancingMode.RoundRobin,
        SweepInterval = TimeSpan.FromMilliseconds(50),
        UdpIdleTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Query_ReplyComesBackFromTheServiceAddress()
    {
        await using var backend = new UdpBackend("dns");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 5353);
        using var engine = new ProxyEngine(Options);
        engine.Apply(Specs.Snapshot(Specs.Udp("dns", service, backend.EndPoint)));
        using var client = Client();

        var (reply, from) = await Exchange(client, service, "query-1");

        Assert.Equal("dns:query-1", reply);
        Assert.Equal(service, from);
        var counters = engine.Counters.Single();
        Assert.Equal(1, counters.Read(Counter.DatagramsToEndpoints));
        Assert.Equal(1, await Eventually.Value(() => counters.Read(Counter.DatagramsToClients), 1L));
    }

    [Fact]
    public async Task Session_SameClientWithinTimeout_KeepsItsEndpoint()
    {
        await using var a = new UdpBackend("a");
        await using var b = new UdpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 5353);
        using var engine = new ProxyEngine(Options with { UdpIdleTimeout = TimeSpan.FromSeconds(5) });
        engine.Apply(Specs.Snapshot(Specs.Udp("dns", service, a.EndPoint, b.EndPoint)));
        using var client = Client();

        var answers = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add((await Exchange(client, service, "q")).Reply);
        }

        Assert.Single(answers);
        Assert.Equal(1, engine.Counters.Single().Read(Counter.ConnectionsAccepted));
    }

    [Fact]
    public async Task Session_IdleBeyondTimeout_ExpiresAndTheNextQueryIsBalancedAnew()
    {
        await using var a = new UdpBackend("a");
        await using var b = new UdpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 5353);
        using var engine = new ProxyEngine(Options with { UdpIdleTimeout = TimeSpan.FromSeconds(1) });
        engine.Apply(Specs.Snapshot(Specs.Udp("dns", service, a.EndPoint, b.EndPoint)));
        using var client = Client();

        var first = (await Exchange(client, service, "q")).Reply;
        var counters = engine.Counters.Single();
        // The sweep counts the idle session closed when it expires it.
        await Eventually.True(() => counters.Read(Counter.ConnectionsClosed) == 1, "the idle session expired", TimeSpan.FromSeconds(10));
        var second = (await Exchange(client, service, "q")).Reply;

        // Round robin: a new session goes to the other endpoint.
        Assert.NotEqual(first, second);
        Assert.Equal(2, counters.Read(Counter.ConnectionsAccepted));
        Assert.Equal(1, counters.Read(Counter.ConnectionsClosed));
    }

    [Fact]
    public async Task Session_EndpointRemoved_NextQueryMovesAtOnce()
    {
        await using var a = new UdpBackend("a");
        await using var b = new UdpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 5353);
        using var engine = new ProxyEngine(Options with { UdpIdleTimeout = TimeSpan.FromSeconds(30) });
        engine.Apply(Specs.Snapshot(Specs.Udp("dns", service, a.EndPoint, b.EndPoint)));
        using var client = Client();
        var first = (await Exchange(client, service, "q")).Reply;
        var remaining = first.StartsWith("a:", StringComparison.Ordinal) ? b : a;

        engine.Apply(Specs.Snapshot(Specs.Udp("dns", service, remaining.EndPoint)));
        // The sweep drops the session whose endpoint left, counting it closed.
        await Eventually.True(() => engine.Counters.Single().Read(Counter.ConnectionsClosed) == 1, "the session to the removed endpoint dropped");

        Assert.Equal($"{remaining.Name}:q", (await Exchange(client, service, "q")).Reply);
    }

    [Fact]
    public async Task Query_NoEndpoints_IsDroppedAndCounted()
    {
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 5353);
        using var engine = new ProxyEngine(Options);
        engine.Apply(Specs.Snapshot(Specs.Udp("dns", service)));
        using var client = Client();

        await client.SendToAsync("q"u8.ToArray(), service);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await client.ReceiveFromAsync(new byte[100], new IPEndPoint(IPAddress.Any, 0), cts.Token));

        Assert.Equal(1, engine.Counters.Single().Read(Counter.ConnectionsFailed));
    }

    [Fact]
    public async Task Query_ManyClients_EachGetsItsOwnAnswer()
    {
        await using var a = new UdpBackend("a");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 5353);
        using var engine = new ProxyEngine(Options with { Threads = 2 });
        engine.Apply(Specs.Snapshot(Specs.Udp("dns", service, a.EndPoint)));

        var clients = Enumerable.Range(0, 50).Select(_ => Client()).ToArray();
        var replies = await Task.WhenAll(clients.Select((c, i) => Exchange(c, service, $"id-{i}")));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"a:id-{i}"), replies.Select(r => r.Reply));
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    private static Socket Client()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static async Task<(string Reply, IPEndPoint From)> Exchange(Socket client, IPEndPoint service, string query)
    {
        await client.SendToAsync(Encoding.ASCII.GetBytes(query), service);
        var buffer = new byte[1000];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var received = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        return (Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint);
    }
}
