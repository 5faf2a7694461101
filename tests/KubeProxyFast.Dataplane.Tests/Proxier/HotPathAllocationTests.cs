using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Relay;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Dataplane.Tests.Support;
using KubeProxyFast.Testing;
using static KubeProxyFast.Testing.TcpClientHelpers;

namespace KubeProxyFast.Dataplane.Tests.Proxier;

/// <summary>
/// The hot path — accept, pick an endpoint (pinning new clients, retrying dead endpoints),
/// connect, relay, close; for UDP, open a session, relay datagrams, expire it — must allocate
/// nothing once warm, with the loops' calls batched through io_uring and as plain system calls.
/// Allocation is read on the event loop threads themselves (the test's own sockets allocate on
/// other threads and do not count), and each loop must have carried traffic.
/// <para>
/// The bound: on each loop, under 1 byte per connection (per session, or per datagram) that loop
/// handled, on average. The smallest .NET object is 24 bytes, so anything allocated per
/// connection or per chunk shows up as at least 24 bytes per connection; what the bound admits
/// is one-off growth — a pool or slot table growing when the number of connections open at once
/// briefly passes the warm-up's peak (seen: 208 bytes), or a collection's lazily created view on
/// a loop's first sweep (24).
/// </para>
/// </summary>
public sealed class HotPathAllocationTests
{
    private const int WarmUpConnections = 1500;
    private const int MeasuredConnections = 3000;

    // An affinity table grows (doubling) while its client population does, up to what its
    // capacity needs: a capacity the warm-up fills makes every measured new client a pin that
    // reuses a slot (evicting the least recently used), the steady state of a busy service.
    private const int AffinityCapacity = 512;

    [Theory]
    [InlineData(RelayMode.Buffer, true, false)]
    [InlineData(RelayMode.Splice, true, false)]
    [InlineData(RelayMode.Auto, true, true)]
    [InlineData(RelayMode.Buffer, false, false)]
    [InlineData(RelayMode.Splice, false, false)]
    [InlineData(RelayMode.Auto, false, true)]
    public async Task Relay_ThousandsOfConnections_AllocateNothingOnTheLoops(RelayMode mode, bool ioUring, bool newClientsAndRetries)
    {
        await using var a = new TcpBackend("a");
        await using var b = new TcpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(new ProxyEngineOptions { Threads = 2, Relay = mode, IoUring = ioUring, AffinityCapacity = AffinityCapacity });
        // With new clients and retries: every connection comes from an address never seen before
        // (a new affinity pin), and a third of the picks are an endpoint that refuses (a retry).
        var spec = newClientsAndRetries
            ? Specs.Tcp("web", service, a.EndPoint, b.EndPoint, ProxyEngineTcpTests.DeadEndpoint()) with { Affinity = SessionAffinity.ForClientIP(TimeSpan.FromHours(1)) }
            : Specs.Tcp("web", service, a.EndPoint, b.EndPoint);
        engine.Apply(Specs.Snapshot(spec));
        var counters = engine.Counters.Single();
        var payload = new byte[4096];

        await RunConnections(service, payload, first: 0, WarmUpConnections, newClientsAndRetries);
        var before = Measure(engine, counters, Counter.ConnectionsAccepted);
        var retriesBefore = counters.Read(Counter.EndpointConnectErrors);
        await RunConnections(service, payload, first: WarmUpConnections, MeasuredConnections, newClientsAndRetries);
        var after = Measure(engine, counters, Counter.ConnectionsAccepted);

        AssertUnderOneBytePerUnit(before, after, $"connections ({mode}, io_uring {ioUring}, new clients and retries {newClientsAndRetries})");
        if (newClientsAndRetries)
        {
            Assert.True(counters.Read(Counter.EndpointConnectErrors) > retriesBefore, "no connection was retried");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Udp_DatagramsOnExistingSessions_AllocateNothingOnTheLoop(bool ioUring)
    {
        await using var backend = new UdpBackend("a");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 5353);
        // One loop: one client's datagrams all go to one of them.
        using var engine = new ProxyEngine(new ProxyEngineOptions { Threads = 1, UdpIdleTimeout = TimeSpan.FromMinutes(1), IoUring = ioUring });
        engine.Apply(Specs.Snapshot(Specs.Udp("dns", service, backend.EndPoint)));
        var counters = engine.Counters.Single();
        using var client = UdpClient(IPAddress.Loopback);

        await Exchange(client, service, 500);
        var before = Measure(engine, counters, Counter.DatagramsToEndpoints);
        await Exchange(client, service, 3000);
        var after = Measure(engine, counters, Counter.DatagramsToEndpoints);

        AssertUnderOneBytePerUnit(before, after, $"datagrams (io_uring {ioUring})");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Udp_NewSessions_AllocateNothingOnTheLoops(bool ioUring)
    {
        await using var backend = new UdpBackend("a");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 5353);
        // Sessions expire soon after their one exchange, so each wave's sessions reuse the
        // previous wave's (pooled sessions, table slots): the steady state of many short clients.
        // 300 ms leaves a loaded machine time to deliver the reply before the session ends.
        using var engine = new ProxyEngine(new ProxyEngineOptions
        {
            Threads = 2,
            UdpIdleTimeout = TimeSpan.FromMilliseconds(300),
            SweepInterval = TimeSpan.FromMilliseconds(20),
            IoUring = ioUring,
        });
        engine.Apply(Specs.Snapshot(Specs.Udp("dns", service, backend.EndPoint)));
        var counters = engine.Counters.Single();

        // The warm-up's waves are larger, so that the measured ones (each split at random between
        // the loops) never open more sessions on a loop at once than the warm-up did.
        await SessionWaves(service, counters, first: 0, waves: 3, perWave: 300);
        var before = Measure(engine, counters, Counter.ConnectionsAccepted);
        await SessionWaves(service, counters, first: 900, waves: 5, perWave: 200);
        var after = Measure(engine, counters, Counter.ConnectionsAccepted);

        AssertUnderOneBytePerUnit(before, after, $"new sessions (io_uring {ioUring})");
    }

    /// <summary>Each loop's allocated bytes and its count of <paramref name="unit"/>, read together.</summary>
    private static (long[] Bytes, long[] Units) Measure(ProxyEngine engine, ServicePortCounters counters, Counter unit)
    {
        var bytes = engine.LoopAllocatedBytes();
        return (bytes, [.. Enumerable.Range(0, bytes.Length).Select(loop => counters.Read(loop, unit))]);
    }

    private static void AssertUnderOneBytePerUnit((long[] Bytes, long[] Units) before, (long[] Bytes, long[] Units) after, string what)
    {
        for (var loop = 0; loop < before.Bytes.Length; loop++)
        {
            var units = after.Units[loop] - before.Units[loop];
            var allocated = after.Bytes[loop] - before.Bytes[loop];
            Assert.True(units > 0, $"loop {loop} handled none of the {what}: it was not measured");
            Assert.True(allocated < units, $"loop {loop} allocated {allocated} bytes over {units} {what}");
        }
    }

    private static async Task RunConnections(IPEndPoint service, byte[] payload, int first, int count, bool newClients)
    {
        // 8 clients at a time, each: connect, read the banner, echo 4 KiB, close.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            for (var i = first + worker; i < first + count; i += 8)
            {
                using var socket = await Connect(service, newClients ? ClientAddress(i) : null);
                await ReadLine(socket);
                await SendAll(socket, payload);
                await ProxyEngineTcpTests.ReadExactly(socket, payload.Length);
            }
        }));
    }

    /// <summary>Client <paramref name="i"/>'s own loopback address, 127.1.0.1 onwards (all of 127/8 is local).</summary>
    private static IPAddress ClientAddress(int i) => new([127, 1, (byte)(i / 250), (byte)((i % 250) + 1)]);

    /// <summary>
    /// Waves of <paramref name="perWave"/> new clients, numbered from <paramref name="first"/>, each
    /// with its own address and exchanging once; after each wave, waits until its sessions expired.
    /// </summary>
    private static async Task SessionWaves(IPEndPoint service, ServicePortCounters counters, int first, int waves, int perWave)
    {
        for (var wave = 0; wave < waves; wave++)
        {
            var clients = Enumerable.Range(first + (wave * perWave), perWave).Select(i => UdpClient(ClientAddress(i))).ToArray();
            try
            {
                // 50 in flight at once: a burst of hundreds of datagrams overflows a socket's
                // receive buffer (the backend's, about 200 KB) and loses some. The wave's
                // sessions still all live at once, for the idle timeout after their exchange.
                foreach (var batch in clients.Chunk(50))
                {
                    await Task.WhenAll(batch.Select(c => Exchange(c, service, 1)));
                }
            }
            finally
            {
                Array.ForEach(clients, c => c.Dispose());
            }

            await Eventually.True(() => counters.Read(Counter.ConnectionsClosed) == counters.Read(Counter.ConnectionsAccepted),
                "the wave's sessions expired", TimeSpan.FromSeconds(10));
        }
    }

    private static Socket UdpClient(IPAddress address)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(address, 0));
        return client;
    }

    private static async Task Exchange(Socket client, IPEndPoint service, int count)
    {
        var buffer = new byte[1000];
        for (var i = 0; i < count; i++)
        {
            await client.SendToAsync(new byte[64], service);
            using var cts = new CancellationTokenSource(IoTimeout);
            await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        }
    }
}
