using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Dataplane.Tests.Balancing;

public class EndpointSelectorTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Select_EmptySet_ReturnsNull()
    {
        var withAffinity = Sticky(new RoundRobinEndpointPicker());
        var without = new EndpointSelector(new RoundRobinEndpointPicker());

        Assert.Null(withAffinity.Select(EndpointSet.Empty, TestEndpoints.Client(1)));
        Assert.Null(without.Select(EndpointSet.Empty, TestEndpoints.Client(1)));
    }

    [Fact]
    public void Select_NoAffinity_SameClientFollowsPicker()
    {
        var selector = new EndpointSelector(new RoundRobinEndpointPicker());
        var set = TestEndpoints.Set(3);
        var client = TestEndpoints.Client(1);

        var picks = Enumerable.Range(0, 4).Select(_ => selector.Select(set, client)!.Index).ToArray();

        Assert.Equal([0, 1, 2, 0], picks);
        Assert.Null(selector.Affinity);
    }

    [Fact]
    public void Select_ClientIPAffinity_SameClientSticks()
    {
        var selector = Sticky(new RoundRobinEndpointPicker());
        var set = TestEndpoints.Set(3);

        var a1 = selector.Select(set, TestEndpoints.Client(1));
        var b1 = selector.Select(set, TestEndpoints.Client6(1));
        var a2 = selector.Select(set, TestEndpoints.Client(1));
        var b2 = selector.Select(set, TestEndpoints.Client6(1));

        Assert.Same(a1, a2);
        Assert.Same(b1, b2);
        Assert.NotSame(a1, b1);
    }

    [Fact]
    public void Select_ExcludeWithOtherEndpoints_NeverReturnsExcluded()
    {
        var set = TestEndpoints.Set(3);
        var failed = set[1];
        var plain = new EndpointSelector(RandomEndpointPicker.Shared);
        var sticky = Sticky(RandomEndpointPicker.Shared);
        var seen = new int[3];

        for (var i = 0; i < 3000; i++)
        {
            seen[plain.Select(set, TestEndpoints.Client(i), exclude: failed)!.Index]++;
            seen[sticky.Select(set, TestEndpoints.Client(i), exclude: failed)!.Index]++;
        }

        Assert.Equal(0, seen[1]);
        Assert.InRange(seen[0], 2500, 3500); // 6000 draws over two endpoints
        Assert.InRange(seen[2], 2500, 3500);
    }

    [Fact]
    public void Select_ExcludeFromPreviousSet_IsResolvedInCurrentSet()
    {
        // The failed endpoint came from the set current at the first attempt; the retry sees a new
        // set where it sits at another index, and must still avoid it.
        var old = TestEndpoints.Set("198.18.0.1:80", "198.18.0.2:80");
        var current = TestEndpoints.Set("198.18.0.2:80", "198.18.0.3:80");
        var selector = new EndpointSelector(new RoundRobinEndpointPicker());

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("198.18.0.3:80", selector.Select(current, TestEndpoints.Client(1), exclude: old[1])!.ToString());
        }
    }

    [Fact]
    public void Select_ExcludeOnlyEndpoint_ReturnsIt()
    {
        var set = TestEndpoints.Set(1);

        Assert.Same(set[0], new EndpointSelector(RandomEndpointPicker.Shared).Select(set, TestEndpoints.Client(1), exclude: set[0]));
        Assert.Same(set[0], Sticky(RandomEndpointPicker.Shared).Select(set, TestEndpoints.Client(1), exclude: set[0]));
    }

    [Fact]
    public void ReportConnectFailure_PinnedEndpoint_RetryPinsClientElsewhere()
    {
        var selector = Sticky(RandomEndpointPicker.Shared);
        var set = TestEndpoints.Set(4);
        var client = TestEndpoints.Client(1);
        var first = selector.Select(set, client)!;

        selector.ReportConnectFailure(client, first);
        Assert.Equal(0, selector.Affinity!.Count);
        var retry = selector.Select(set, client, exclude: first)!;

        Assert.NotSame(first, retry);
        for (var i = 0; i < 20; i++)
        {
            Assert.Same(retry, selector.Select(set, client)); // the new pin sticks
        }
    }

    [Fact]
    public void ReportConnectFailure_ClientAlreadyRepinned_KeepsNewPin()
    {
        var selector = Sticky(new RoundRobinEndpointPicker());
        var set = TestEndpoints.Set(3);
        var client = TestEndpoints.Client(1);
        var first = selector.Select(set, client)!;
        var second = selector.Select(set, client, exclude: first)!; // another connection re-pinned

        selector.ReportConnectFailure(client, first); // a late report about the old endpoint

        Assert.Same(second, selector.Select(set, client));
    }

    [Fact]
    public void Create_ClientIPWithZeroTimeout_UsesKubernetesDefault()
    {
        var selector = EndpointSelector.Create(BalancingMode.RoundRobin, SessionAffinity.ForClientIP(TimeSpan.Zero), _clock);

        Assert.IsType<RoundRobinEndpointPicker>(selector.Picker);
        Assert.NotNull(selector.Affinity);
        Assert.Equal(TimeSpan.FromSeconds(10800), selector.Affinity.Timeout);
        Assert.Equal(ClientIpAffinityTable.DefaultCapacity, selector.Affinity.Capacity);
    }

    [Fact]
    public void Create_NoAffinity_HasNoTable()
    {
        var selector = EndpointSelector.Create(BalancingMode.Random, SessionAffinity.None);

        Assert.Null(selector.Affinity);
        Assert.Same(RandomEndpointPicker.Shared, selector.Picker);
    }

    [Fact]
    public void Create_ClientIPWithTimeout_ExpiresAfterIt()
    {
        var selector = EndpointSelector.Create(BalancingMode.RoundRobin, SessionAffinity.ForClientIP(TimeSpan.FromSeconds(30)), _clock);
        var set = TestEndpoints.Set(2);
        var client = TestEndpoints.Client(1);
        var first = selector.Select(set, client);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Same(first, selector.Select(set, client));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.NotSame(first, selector.Select(set, client)); // round-robin moves on to the other one
    }

    [Fact]
    public void Select_WithEventLoopTimestamp_ExpiresByThatTimestamp()
    {
        // The fake clock never moves here: only the passed timestamps can expire the pin.
        var selector = EndpointSelector.Create(BalancingMode.RoundRobin, SessionAffinity.ForClientIP(TimeSpan.FromSeconds(30)), _clock);
        var set = TestEndpoints.Set(2);
        var client = TestEndpoints.Client(1);
        var t0 = _clock.GetTimestamp();
        var first = selector.Select(set, client, t0);

        Assert.Same(first, selector.Select(set, client, t0 + TimeSpan.FromSeconds(30).Ticks - 1));
        Assert.NotSame(first, selector.Select(set, client, t0 + (2 * TimeSpan.FromSeconds(30).Ticks)));
    }

    [Theory]
    [InlineData(true, BalancingMode.Random)]
    [InlineData(true, BalancingMode.RoundRobin)]
    [InlineData(false, BalancingMode.Random)]
    [InlineData(false, BalancingMode.RoundRobin)]
    public void Select_KnownClientsAfterWarmUp_AllocatesNothing(bool clientIP, BalancingMode mode)
    {
        var affinity = clientIP ? SessionAffinity.ForClientIP(TimeSpan.FromHours(3)) : SessionAffinity.None;
        var selector = EndpointSelector.Create(mode, affinity, _clock, affinityCapacity: 4096);
        var set = TestEndpoints.Set(16);
        var clients = new ClientAddress[1000];
        for (var i = 0; i < clients.Length; i++)
        {
            clients[i] = i % 2 == 0 ? TestEndpoints.Client(i) : TestEndpoints.Client6(i);
        }

        // Warm-up: every client pinned (the table has grown to its final size) and every method on the
        // path — the failure paths included — called often enough to be promoted, so the measured calls
        // run compiled code and do not trip the runtime's tiering on this thread.
        var failed = set[3];
        for (var round = 0; round < 3; round++)
        {
            foreach (var c in clients)
            {
                _ = selector.Select(set, c);
            }
        }

        SelectMany(selector, set, clients, failed, 20_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        SelectMany(selector, set, clients, failed, 100_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // No tolerance: GetAllocatedBytesForCurrentThread counts this thread's managed allocations
        // exactly, and JIT tier-up work happens on a background thread, in native memory.
        Assert.Equal(0, allocated);
    }

    private EndpointSelector Sticky(IEndpointPicker picker) =>
        new(picker, new ClientIpAffinityTable(TimeSpan.FromMinutes(5), 1024, _clock));

    /// <summary>Selections as a proxy makes them: both overloads, now and then past a failed endpoint, the clock moving.</summary>
    private void SelectMany(EndpointSelector selector, EndpointSet set, ClientAddress[] clients, BackendEndpoint failed, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = (i & 1) == 0
                ? selector.Select(set, clients[i % clients.Length], (i & 63) == 0 ? failed : null)
                : selector.Select(set, clients[i % clients.Length], _clock.GetTimestamp(), (i & 63) == 1 ? failed : null);
            if ((i & 1023) == 0)
            {
                _clock.Advance(TimeSpan.FromSeconds(1)); // refreshes and re-pins, never growth
            }
        }
    }
}
