using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Relay;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Dataplane.Tests.Support;
using KubeProxyFast.Testing;
using static KubeProxyFast.Testing.TcpClientHelpers;

namespace KubeProxyFast.Dataplane.Tests.Proxier;

/// <summary>
/// The userspace proxy over real loopback sockets: balancing, retries, refusal, drain, relay
/// fidelity. Run twice (the subclasses): with each connection's close, epoll_ctl and setsockopt
/// calls batched through io_uring, and with them as plain system calls.
/// </summary>
public abstract class ProxyEngineTcpTests
{
    // The sockets behind DeadEndpoint: never closed, so their ports stay taken until the run ends.
    private static readonly System.Collections.Concurrent.ConcurrentBag<Socket> DeadEndpointSockets = [];

    protected ProxyEngineTcpTests(bool ioUring) =>
        Options = new() { Threads = 2, SweepInterval = TimeSpan.FromMilliseconds(50), IoUring = ioUring };

    private ProxyEngineOptions Options { get; }

    [Fact]
    public async Task Apply_FourEndpoints_RandomSpreadsConnectionsOverAll()
    {
        var backends = Enumerable.Range(0, 4).Select(i => new TcpBackend($"b{i}")).ToArray();
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backends.Select(b => b.EndPoint).ToArray())));

        var hits = new Dictionary<string, int>();
        for (var i = 0; i < 400; i++)
        {
            var (socket, backend) = await ConnectAndIdentify(service);
            socket.Dispose();
            hits[backend] = hits.GetValueOrDefault(backend) + 1;
        }

        // Binomial(400, 1/4): mean 100, sd 8.7; [50, 150] is beyond 5.7 sd either way.
        Assert.Equal(4, hits.Count);
        Assert.All(hits.Values, n => Assert.InRange(n, 50, 150));
        await DisposeAll(backends);
    }

    [Fact]
    public async Task Apply_RoundRobin_VisitsEndpointsInOrder()
    {
        var backends = Enumerable.Range(0, 3).Select(i => new TcpBackend($"b{i}")).ToArray();
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options with { Threads = 1, Balancing = BalancingMode.RoundRobin });
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backends.Select(b => b.EndPoint).ToArray())));

        var order = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            var (socket, backend) = await ConnectAndIdentify(service);
            socket.Dispose();
            order.Add(backend);
        }

        // Whatever the first, each next connection goes to the next endpoint in the spec's order.
        var sorted = backends.Select(b => b.Name).ToList();
        var start = sorted.IndexOf(order[0]);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => sorted[(start + i) % 3]), order);
        await DisposeAll(backends);
    }

    [Fact]
    public async Task Apply_ClientIPAffinity_SameClientSticksToOneEndpoint()
    {
        var backends = Enumerable.Range(0, 4).Select(i => new TcpBackend($"b{i}")).ToArray();
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);
        var spec = Specs.Tcp("web", service, backends.Select(b => b.EndPoint).ToArray()) with
        {
            Affinity = SessionAffinity.ForClientIP(TimeSpan.FromMinutes(10)),
        };
        engine.Apply(Specs.Snapshot(spec));

        var seen = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            var (socket, backend) = await ConnectAndIdentify(service, from: IPAddress.Parse("127.0.0.5"));
            socket.Dispose();
            seen.Add(backend);
        }

        var other = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            var (socket, backend) = await ConnectAndIdentify(service, from: IPAddress.Parse("127.0.0.6"));
            socket.Dispose();
            other.Add(backend);
        }

        Assert.Single(seen);
        Assert.Single(other);
        await DisposeAll(backends);
    }

    [Fact]
    public async Task Connect_NoEndpoints_IsResetAtOnce()
    {
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);
        engine.Apply(Specs.Snapshot(Specs.Tcp("empty", service)));

        var started = DateTime.UtcNow;
        var e = await Assert.ThrowsAsync<SocketException>(() => ConnectAndReceive(service));

        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
        Assert.Equal(1, engine.Counters.Single().Read(Counter.ConnectionsFailed));
    }

    [Fact]
    public async Task Connect_DeadEndpoint_RetriesAnother()
    {
        await using var live = new TcpBackend("live");
        var dead = DeadEndpoint();
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options with { Balancing = BalancingMode.RoundRobin });
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, dead, live.EndPoint)));

        for (var i = 0; i < 10; i++)
        {
            var (socket, backend) = await ConnectAndIdentify(service);
            socket.Dispose();
            Assert.Equal("live", backend);
        }

        Assert.True(engine.Counters.Single().Read(Counter.EndpointConnectErrors) >= 4);
        Assert.Equal(0, engine.Counters.Single().Read(Counter.ConnectionsFailed));
    }

    [Fact]
    public async Task Connect_AllEndpointsDead_GivesUpWithReset()
    {
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, DeadEndpoint(), DeadEndpoint())));

        var e = await Assert.ThrowsAsync<SocketException>(() => ConnectAndReceive(service));

        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        Assert.Equal(Options.MaxConnectAttempts, engine.Counters.Single().Read(Counter.EndpointConnectErrors));
    }

    [Fact]
    public async Task Apply_EndpointRemoved_NewConnectionsAvoidItAndOldOnesDrain()
    {
        await using var keep = new TcpBackend("keep");
        await using var gone = new TcpBackend("gone");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options with { DrainPeriod = TimeSpan.FromMilliseconds(600) });
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, keep.EndPoint, gone.EndPoint)));
        var open = new List<(Socket Socket, string Backend)>();
        while (open.Select(o => o.Backend).Distinct().Count() < 2 && open.Count < 100)
        {
            open.Add(await ConnectAndIdentify(service));
        }

        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, keep.EndPoint)));

        // New connections see the new set at once.
        for (var i = 0; i < 20; i++)
        {
            var (socket, backend) = await ConnectAndIdentify(service);
            socket.Dispose();
            Assert.Equal("keep", backend);
        }

        // Within the drain period, connections to the removed endpoint still relay.
        var toGone = open.First(o => o.Backend == "gone").Socket;
        await SendAll(toGone, "ping"u8.ToArray());
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(await ReadExactly(toGone, 4)));

        // After it, they are closed (the read ends when the proxy closes it); connections to the
        // remaining endpoint are untouched.
        Assert.Empty(await ReadToEnd(toGone));
        var toKeep = open.First(o => o.Backend == "keep").Socket;
        await SendAll(toKeep, "pong"u8.ToArray());
        Assert.Equal("pong", System.Text.Encoding.ASCII.GetString(await ReadExactly(toKeep, 4)));
        open.ForEach(o => o.Socket.Dispose());
    }

    [Fact]
    public async Task Relay_ClientHalfCloses_ResponseStillArrivesThenEnd()
    {
        await using var backend = new TcpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backend.EndPoint)));

        var (socket, _) = await ConnectAndIdentify(service);
        using (socket)
        {
            var request = RandomNumberGenerator.GetBytes(300_000);
            await SendAll(socket, request);
            socket.Shutdown(SocketShutdown.Send);

            // The backend sees our FIN only through the proxy; it echoes everything, then ends.
            Assert.Equal(request, await ReadToEnd(socket));
        }
    }

    [Fact]
    public async Task Relay_ServerHalfCloses_ClientCanStillSend()
    {
        // A backend that sends a greeting, closes its sending side, then reads until EOF and counts.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var received = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            await peer.SendAsync("bye\n"u8.ToArray());
            peer.Shutdown(SocketShutdown.Send);
            return (await ReadToEnd(peer)).Length;
        });
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, (IPEndPoint)listener.LocalEndPoint!)));

        using var socket = await Connect(service);
        Assert.Equal("bye\n"u8.ToArray(), await ReadToEnd(socket));
        await SendAll(socket, new byte[100_000]);
        socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(100_000, await received.WaitAsync(IoTimeout));
    }

    [Theory]
    [InlineData(RelayMode.Buffer)]
    [InlineData(RelayMode.Splice)]
    [InlineData(RelayMode.Auto)]
    public async Task Relay_LargeTransfer_IsByteExactOnTheModesPath(RelayMode mode)
    {
        await using var backend = new TcpBackend("b", banner: false);
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options with { Relay = mode });
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backend.EndPoint)));
        var data = RandomNumberGenerator.GetBytes(32 * 1024 * 1024);

        using var socket = await Connect(service);
        var echoed = ReadToEnd(socket);
        await SendAll(socket, data);
        socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await echoed));
        var counters = engine.Counters.Single();
        Assert.Equal(data.Length, counters.Read(Counter.BytesToEndpoints));
        Assert.Equal(data.Length, await Eventually.Value(() => counters.Read(Counter.BytesToClients), (long)data.Length));

        // Auto copies until a read fills a whole buffer, then splices the rest of that direction:
        // a 32 MB stream must have got there (a relay stuck on copies is still byte-exact).
        var pipes = engine.LoopPipesCreated().Sum();
        if (mode == RelayMode.Buffer)
        {
            Assert.Equal(0, pipes);
        }
        else
        {
            Assert.True(pipes > 0, $"{mode}: no pipe was created, so nothing was spliced");
        }
    }

    [Fact]
    public async Task Relay_ThousandConcurrentConnections_AllEcho()
    {
        await using var a = new TcpBackend("a");
        await using var b = new TcpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, a.EndPoint, b.EndPoint)));

        var sockets = new Socket[1000];
        for (var i = 0; i < sockets.Length; i++)
        {
            sockets[i] = await Connect(service);
        }

        await Task.WhenAll(sockets.Select(async (s, i) =>
        {
            var line = await ReadLine(s);
            Assert.True(line is "a" or "b");
            var message = System.Text.Encoding.ASCII.GetBytes($"message {i:D6}");
            await SendAll(s, message);
            Assert.Equal(message, await ReadExactly(s, message.Length));
        }));
        Assert.Equal(1000, engine.Counters.Single().Active);
        foreach (var s in sockets)
        {
            s.Dispose();
        }

        Assert.Equal(1000, a.Accepted + b.Accepted);
    }

    [Fact]
    public async Task Accept_AtMaxConnections_NextClientWaitsUntilOneCloses()
    {
        await using var backend = new TcpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options with { Threads = 1, MaxConnections = 3 });
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backend.EndPoint)));

        var first = new List<Socket>();
        for (var i = 0; i < 3; i++)
        {
            first.Add((await ConnectAndIdentify(service)).Socket);
        }

        using var fourth = await Connect(service);
        var banner = ReadLine(fourth);
        // The fourth client is in the listen queue before this round trip through the loop's
        // other relays begins: the loop has seen the listener readable by the time the echo comes
        // back, and accepted nothing.
        await SendAll(first[1], "ping"u8.ToArray());
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(await ReadExactly(first[1], 4)));
        Assert.Equal(3, engine.Counters.Single().Read(Counter.ConnectionsAccepted));
        Assert.False(banner.IsCompleted, "a fourth connection was relayed past MaxConnections = 3");

        first[0].Dispose();

        Assert.Equal("b", await banner.WaitAsync(IoTimeout));
        Assert.Equal(3, engine.MaxConnections);
        first.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Loops_AfterTraffic_BatchCallsAsConfigured()
    {
        await using var backend = new TcpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var log = new CapturingLoggerFactory();
        using var engine = new ProxyEngine(Options, log);
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backend.EndPoint)));

        for (var i = 0; i < 20; i++)
        {
            var (socket, name) = await ConnectAndIdentify(service);
            socket.Dispose();
            Assert.Equal("b", name);
        }

        // Each loop says at start whether it batches (the other subclass's tests would otherwise
        // pass as plain calls on a kernel without io_uring), and an io_uring_enter failure, which
        // stops batching, is logged as an error.
        var expected = Options.IoUring ? "are batched through io_uring" : "io_uring not used (turned off)";
        Assert.Equal(Options.Threads, log.Messages.Count(m => m.Contains(expected, StringComparison.Ordinal)));
        Assert.DoesNotContain(log.Messages, m => m.Contains("io_uring_enter failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_SameSnapshotTwice_ChangesNothing()
    {
        await using var backend = new TcpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);
        var snapshot = Specs.Snapshot(Specs.Tcp("web", service, backend.EndPoint));

        var first = engine.Apply(snapshot);
        var again = engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backend.EndPoint)));

        Assert.Equal(1, first.Added);
        Assert.Same(ApplyResult.Unchanged, again);
        var (socket, name) = await ConnectAndIdentify(service);
        socket.Dispose();
        Assert.Equal("b", name);
    }

    [Fact]
    public async Task Apply_RemovedPort_StopsListening()
    {
        await using var backend = new TcpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backend.EndPoint)));

        var result = engine.Apply(ProxySnapshot.Empty);

        Assert.Equal(1, result.Removed);
        // The loop closes the listener after Apply returns; connections until then are still served.
        await Eventually.True(async () => await NothingListens(service), "the listener closed");
    }

    [Fact]
    public void Apply_AddressInUse_ReportsThePortAndServesTheRest()
    {
        var taken = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(taken);
        squatter.Listen();
        var free = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(Options);

        var result = engine.Apply(Specs.Snapshot(Specs.Tcp("taken", taken), Specs.Tcp("free", free)));

        var failure = Assert.Single(result.Failures);
        Assert.Equal("default/taken:http", failure.Id.ToString());
        Assert.Contains($"bind {taken}: EADDRINUSE", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(["default/free:http"], engine.Applied.Ports.Select(p => p.Id.ToString()));
    }

    [Fact]
    public async Task ProxyPortMode_ListensOnAnEphemeralPortPerServicePort()
    {
        await using var backend = new TcpBackend("b");
        using var engine = new ProxyEngine(Options with { Listen = ListenMode.ProxyPort, ProxyBindAddress = IPAddress.Loopback });
        var spec = Specs.Tcp("web", new IPEndPoint(IPAddress.Parse("198.18.0.10"), 80), backend.EndPoint);

        engine.Apply(Specs.Snapshot(spec));

        var port = engine.ProxyPorts[spec.Id];
        Assert.InRange(port, 1024, 65535);
        var (socket, name) = await ConnectAndIdentify(new IPEndPoint(IPAddress.Loopback, port));
        socket.Dispose();
        Assert.Equal("b", name);
    }

    internal static async Task<byte[]> ReadExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(IoTimeout);
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), cts.Token);
            if (n == 0)
            {
                throw new EndOfStreamException($"closed after {read} of {count} bytes");
            }

            read += n;
        }

        return buffer;
    }

    /// <summary>Connects and reads one byte; the proxy's RST may surface in either call, as with a real refusal.</summary>
    private static async Task ConnectAndReceive(IPEndPoint service)
    {
        using var socket = await Connect(service);
        await socket.ReceiveAsync(new byte[1]);
    }

    /// <summary>A loopback port nobody listens on (connects are refused).</summary>
    /// <summary>
    /// An endpoint that refuses connections: a port bound and never listened on, kept bound for
    /// the whole run. A port bound and freed again was, once, taken by a backend of a test running
    /// in parallel, whose banner the "dead" endpoint then answered with.
    /// </summary>
    internal static IPEndPoint DeadEndpoint()
    {
        var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        DeadEndpointSockets.Add(probe);
        return (IPEndPoint)probe.LocalEndPoint!;
    }

    private static async Task DisposeAll(IEnumerable<TcpBackend> backends)
    {
        foreach (var backend in backends)
        {
            await backend.DisposeAsync();
        }
    }
}
