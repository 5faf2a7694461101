using System.Net;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Dataplane.Tests.Support;
using KubeProxyFast.Testing;
using static KubeProxyFast.Testing.TcpClientHelpers;

namespace KubeProxyFast.Dataplane.Tests.Proxier;

/// <summary>Time-driven behaviour of the engine: affinity expiry (injected clock) and idle timeouts.</summary>
public sealed class ProxyEngineTimeoutTests
{
    [Fact]
    public async Task Affinity_ClientIdleBeyondTimeout_IsBalancedAnew()
    {
        var backends = Enumerable.Range(0, 2).Select(i => new TcpBackend($"b{i}")).ToArray();
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        var clock = new FakeTimeProvider();
        using var engine = new ProxyEngine(new ProxyEngineOptions { Threads = 1, Balancing = BalancingMode.RoundRobin }, time: clock);
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backends.Select(b => b.EndPoint).ToArray()) with
        {
            Affinity = SessionAffinity.ForClientIP(TimeSpan.FromSeconds(10)),
        }));
        var client = IPAddress.Parse("127.0.0.9");

        var first = await Identify(service, client);
        clock.Advance(TimeSpan.FromSeconds(9));
        var withinTimeout = await Identify(service, client);
        clock.Advance(TimeSpan.FromSeconds(9)); // 18 s after the first use, 9 s after the last: sliding
        var slid = await Identify(service, client);
        clock.Advance(TimeSpan.FromSeconds(11));
        var expired = await Identify(service, client);

        Assert.Equal(first, withinTimeout);
        Assert.Equal(first, slid);
        Assert.NotEqual(first, expired); // round robin moves on once the entry has expired
        foreach (var b in backends)
        {
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task Relay_IdleBeyondTimeout_IsClosed()
    {
        await using var backend = new TcpBackend("b");
        var service = new IPEndPoint(TestAddresses.NextServiceIP(), 8080);
        using var engine = new ProxyEngine(new ProxyEngineOptions
        {
            Threads = 1,
            IdleTimeout = TimeSpan.FromMilliseconds(300),
            SweepInterval = TimeSpan.FromMilliseconds(50),
        });
        engine.Apply(Specs.Snapshot(Specs.Tcp("web", service, backend.EndPoint)));

        // Timed from before the connect: the relay's last activity (the banner) comes after it,
        // so it cannot be closed sooner than the idle timeout from here, however slowly the
        // test's own threads are scheduled.
        var started = DateTime.UtcNow;
        var (socket, _) = await ConnectAndIdentify(service);
        using (socket)
        {
            Assert.Empty(await ReadToEnd(socket));
            Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(3));
        }

        Assert.Equal(0, await Eventually.Value(() => engine.Counters.Single().Active, 0L));
    }
}
