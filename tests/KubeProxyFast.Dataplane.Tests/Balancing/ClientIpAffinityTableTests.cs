using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Dataplane.Tests.Balancing;

public class ClientIpAffinityTableTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();

    // Round-robin from 0 makes every fresh pick differ from the previous one, so a test can tell a
    // sticky answer from a new pick.
    private readonly RoundRobinEndpointPicker _picker = new();

    [Fact]
    public void Select_SameClientWithinTimeout_KeepsEndpoint()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(3);
        var client = TestEndpoints.Client(1);

        var first = Select(table, client, set, _picker);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var second = Select(table, client, set, _picker);

        Assert.Same(set[0], first);
        Assert.Same(first, second);
        Assert.Same(set[1], Select(table, TestEndpoints.Client(2), set, _picker)); // others still rotate
    }

    [Fact]
    public void Select_UsedWithinEachTimeout_SlidingRefreshKeepsEndpoint()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(3);
        var client = TestEndpoints.Client(1);
        var pinned = Select(table, client, set, _picker);

        // 27 s after pinning, far beyond the 10 s timeout, but never idle for 10 s.
        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(9));
            Assert.Same(pinned, Select(table, client, set, _picker));
        }
    }

    [Fact]
    public void Select_IdleJustUnderTimeout_StillPinned()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(3);
        var client = TestEndpoints.Client(1);
        var pinned = Select(table, client, set, _picker);

        _clock.Advance(Timeout - TimeSpan.FromTicks(1));

        Assert.Same(pinned, Select(table, client, set, _picker));
    }

    [Fact]
    public void Select_IdleForTimeout_ExpiresAndPicksAfresh()
    {
        // The userspace proxier kept a pin while int(seconds idle) < timeout: idle == timeout expires.
        var table = NewTable();
        var set = TestEndpoints.Set(3);
        var client = TestEndpoints.Client(1);
        var pinned = Select(table, client, set, _picker);

        _clock.Advance(Timeout);
        var repinned = Select(table, client, set, _picker);

        Assert.Same(set[0], pinned);
        Assert.Same(set[1], repinned);
        Assert.Equal(1, table.Count); // replaced in place
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(repinned, Select(table, client, set, _picker));
    }

    [Fact]
    public void Select_PinnedEndpointRemoved_PinsToEndpointOfNewSet()
    {
        var table = NewTable();
        var before = TestEndpoints.Set("198.18.0.1:80", "198.18.0.2:80", "198.18.0.3:80");
        var client = TestEndpoints.Client(1);
        var picker = new RoundRobinEndpointPicker(start: 1);
        Assert.Equal("198.18.0.2:80", Select(table, client, before, picker)!.ToString());

        var after = TestEndpoints.Set("198.18.0.1:80", "198.18.0.3:80");
        var repinned = Select(table, client, after, picker);

        Assert.NotNull(repinned);
        Assert.Contains(repinned, after.AsSpan().ToArray());
        Assert.True(table.TryGet(client, after, out var stored));
        Assert.Same(repinned, stored);
    }

    [Fact]
    public void Select_PinnedEndpointMovedInNewSet_StaysPinnedToNewInstance()
    {
        var table = NewTable();
        var before = TestEndpoints.Set("198.18.0.1:80", "198.18.0.2:80", "198.18.0.3:80");
        var client = TestEndpoints.Client(1);
        Assert.Same(before[2], Select(table, client, before, new RoundRobinEndpointPicker(start: 2)));

        var after = TestEndpoints.Set("198.18.0.3:80", "198.18.0.4:80");

        Assert.Same(after[0], Select(table, client, after, _picker));
    }

    [Fact]
    public void Select_EmptySet_ReturnsNullAndKeepsPin()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(3);
        var client = TestEndpoints.Client(1);
        var pinned = Select(table, client, set, _picker);

        Assert.Null(Select(table, client, EndpointSet.Empty, _picker));
        Assert.Same(pinned, Select(table, client, set, _picker));
    }

    [Fact]
    public void Select_ExcludedPinnedEndpoint_PinsToAnother()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(2);
        var client = TestEndpoints.Client(1);
        var pinned = Select(table, client, set, _picker);

        var retry = Select(table, client, set, _picker, exclude: pinned);

        Assert.NotSame(pinned, retry);
        Assert.Same(retry, Select(table, client, set, _picker));
    }

    [Fact]
    public void Select_IPv4AndIPv6Clients_PinnedIndependently()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(4);
        var v4 = TestEndpoints.Client(7);
        var v6 = TestEndpoints.Client6(7);

        var e4 = Select(table, v4, set, _picker);
        var e6 = Select(table, v6, set, _picker);
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.NotSame(e4, e6);
        Assert.Same(e4, Select(table, v4, set, _picker));
        Assert.Same(e6, Select(table, v6, set, _picker));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void TryGet_ExpiredEntry_ReturnsFalseAndDropsIt()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(2);
        table.Set(TestEndpoints.Client(1), set[1]);
        Assert.True(table.TryGet(TestEndpoints.Client(1), set, out var hit));
        Assert.Same(set[1], hit);

        _clock.Advance(Timeout);

        Assert.False(table.TryGet(TestEndpoints.Client(1), set, out var miss));
        Assert.Null(miss);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Set_BeyondCapacity_EvictsLeastRecentlyUsed()
    {
        // Capacity 4 fits in 8 slots, so the 16-entry eviction sample sees every entry: exact LRU.
        var table = NewTable(capacity: 4);
        var set = TestEndpoints.Set(2);
        for (var i = 0; i < 4; i++)
        {
            table.Set(TestEndpoints.Client(i), set[0]);
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(table.TryGet(TestEndpoints.Client(0), set, out _)); // client 1 is now the least recent
        table.Set(TestEndpoints.Client(4), set[1]);

        Assert.Equal(4, table.Count);
        Assert.False(table.TryGet(TestEndpoints.Client(1), set, out _));
        foreach (var survivor in new[] { 0, 2, 3, 4 })
        {
            Assert.True(table.TryGet(TestEndpoints.Client(survivor), set, out _), $"client {survivor} was evicted");
        }
    }

    [Fact]
    public void Set_FullWithExpiredEntries_ReapsAllExpiredFirst()
    {
        var table = NewTable(capacity: 4);
        var set = TestEndpoints.Set(2);
        for (var i = 0; i < 3; i++)
        {
            table.Set(TestEndpoints.Client(i), set[0]);
        }

        _clock.Advance(Timeout);
        table.Set(TestEndpoints.Client(3), set[0]);
        table.Set(TestEndpoints.Client(4), set[1]);

        // Evicting one entry would leave 4; reaping drops the three expired ones at once.
        Assert.Equal(2, table.Count);
        Assert.True(table.TryGet(TestEndpoints.Client(3), set, out _));
        Assert.True(table.TryGet(TestEndpoints.Client(4), set, out _));
    }

    [Fact]
    public void Set_FullAgainWithinASecondOfAFullReap_EvictsOneInsteadOfRescanning()
    {
        var table = NewTable(capacity: 4, timeout: TimeSpan.FromSeconds(2));
        var set = TestEndpoints.Set(2);
        table.Set(TestEndpoints.Client(0), set[0]);
        table.Set(TestEndpoints.Client(1), set[0]);
        _clock.Advance(TimeSpan.FromSeconds(0.6));
        table.Set(TestEndpoints.Client(2), set[0]);
        table.Set(TestEndpoints.Client(3), set[0]);
        _clock.Advance(TimeSpan.FromSeconds(1.9)); // t = 2.5 s: clients 0 and 1 expired
        table.Set(TestEndpoints.Client(4), set[1]); // full: reaps 0 and 1
        table.Set(TestEndpoints.Client(5), set[1]);
        Assert.Equal(4, table.Count);

        _clock.Advance(TimeSpan.FromSeconds(0.2)); // t = 2.7 s: clients 2 and 3 expired, last reap 0.2 s ago
        table.Set(TestEndpoints.Client(6), set[1]);

        Assert.Equal(4, table.Count);
        Assert.Equal(1, table.Reap()); // one of clients 2 and 3 was evicted, the other is still there
    }

    [Fact]
    public void Reap_SomeExpired_DropsOnlyExpired()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(2);
        table.Set(TestEndpoints.Client(1), set[0]);
        table.Set(TestEndpoints.Client6(2), set[1]);
        _clock.Advance(TimeSpan.FromSeconds(6));
        table.Set(TestEndpoints.Client(3), set[1]);
        _clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(2, table.Reap());
        Assert.Equal(1, table.Count);
        Assert.True(table.TryGet(TestEndpoints.Client(3), set, out var survivor));
        Assert.Same(set[1], survivor);
        Assert.Equal(0, table.Reap());
    }

    [Fact]
    public void ResetClient_Pinned_RemovesEntry()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(3);
        var client = TestEndpoints.Client(1);
        var pinned = Select(table, client, set, _picker);

        Assert.True(table.ResetClient(client));
        Assert.Equal(0, table.Count);
        Assert.NotSame(pinned, Select(table, client, set, _picker));
        Assert.False(table.ResetClient(TestEndpoints.Client(99)));
    }

    [Fact]
    public void ResetClient_PinnedElsewhere_KeepsEntry()
    {
        var table = NewTable();
        var set = TestEndpoints.Set(3);
        var client = TestEndpoints.Client(1);
        table.Set(client, set[2]);

        Assert.False(table.ResetClient(client, onlyIfPinnedTo: set[0]));
        Assert.True(table.TryGet(client, set, out var pinned));
        Assert.Same(set[2], pinned);
        Assert.True(table.ResetClient(client, onlyIfPinnedTo: set[2]));
    }

    [Fact]
    public void Operations_RandomSequenceAtFullLoad_MatchDictionaryModel()
    {
        // Capacity 96 → 128 slots at load 3/4 with 96 distinct clients: long probe runs, so backward-shift
        // deletion, growth and lazy expiry all get exercised; the table never needs to evict, so a plain
        // dictionary is an exact model.
        var table = NewTable(capacity: 96);
        var set = TestEndpoints.Set(5);
        var model = new Dictionary<ClientAddress, (int Endpoint, TimeSpan LastUsed)>();
        var now = TimeSpan.Zero;
        var random = new Random(20240601);
        for (var step = 0; step < 50_000; step++)
        {
            var client = random.Next(2) == 0 ? TestEndpoints.Client(random.Next(48)) : TestEndpoints.Client6(random.Next(48));
            var live = model.TryGetValue(client, out var m) && now - m.LastUsed < Timeout;
            switch (random.Next(10))
            {
                case < 4:
                    var endpoint = random.Next(set.Count);
                    table.Set(client, set[endpoint]);
                    model[client] = (endpoint, now);
                    break;
                case < 8:
                    var found = table.TryGet(client, set, out var got);
                    Assert.Equal(live, found);
                    if (live)
                    {
                        Assert.Same(set[m.Endpoint], got);
                        model[client] = (m.Endpoint, now);
                    }
                    else
                    {
                        model.Remove(client);
                    }

                    break;
                case 8:
                    Assert.Equal(model.Remove(client), table.ResetClient(client));
                    break;
                default:
                    var advance = TimeSpan.FromMilliseconds(random.Next(2000));
                    _clock.Advance(advance);
                    now += advance;
                    if (random.Next(20) == 0)
                    {
                        var expired = model.Where(kv => now - kv.Value.LastUsed >= Timeout).Select(kv => kv.Key).ToList();
                        expired.ForEach(k => model.Remove(k));
                        Assert.Equal(expired.Count, table.Reap());
                    }

                    break;
            }

            Assert.Equal(model.Count, table.Count);
        }
    }

    [Fact]
    public void Set_ManyMoreClientsThanCapacity_CountStaysBoundedAndRecentClientsKept()
    {
        var table = NewTable(capacity: 1000, timeout: TimeSpan.FromHours(3));
        var set = TestEndpoints.Set(3);
        for (var i = 0; i < 20_000; i++)
        {
            table.Set(TestEndpoints.Client6(i), set[i % 3]);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.InRange(table.Count, 1, 1000);
        }

        // Sampled LRU evicts old entries; the newest 100 clients (the last 10 % of the table) must
        // all still be there, with the endpoint they were given.
        for (var i = 19_900; i < 20_000; i++)
        {
            Assert.True(table.TryGet(TestEndpoints.Client6(i), set, out var endpoint), $"recent client {i} was evicted");
            Assert.Same(set[i % 3], endpoint);
        }
    }

    [Fact]
    public void Set_LongChurnOfNewClientsWhenFull_ProbeRunsStayShort()
    {
        // 1024 clients in 2048 slots, then 200 000 insert-evictions. Sampling evictions from random
        // slots instead of a sweeping hand let the longest run grow past 390 slots in this workload;
        // at load 1/2 a well-mixed table keeps it in the tens.
        var table = NewTable(capacity: 1024, timeout: TimeSpan.FromHours(3));
        var set = TestEndpoints.Set(3);
        for (var i = 0; i < 201_024; i++)
        {
            table.Set(ClientAddress.FromIPv4(0xC6120000u + ((uint)i & 0x1FFFFu)), set[0]);
            _clock.Advance(TimeSpan.FromTicks(1));
        }

        Assert.Equal(1024, table.Count);
        Assert.InRange(table.LongestOccupiedRun(), 1, 64);
    }

    [Fact]
    public void Select_ConcurrentThreadsSameClients_AllAgreeOnEachClientsEndpoint()
    {
        var table = NewTable(capacity: 1024, timeout: TimeSpan.FromHours(1));
        var set = TestEndpoints.Set(7);
        var picker = RandomEndpointPicker.Shared;
        var seen = new BackendEndpoint?[4, 500];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            for (var round = 0; round < 20; round++)
            {
                for (var c = 0; c < 500; c++)
                {
                    var e = Select(table, TestEndpoints.Client(c), set, picker);
                    if (seen[t, c] is null)
                    {
                        seen[t, c] = e;
                    }
                    else if (!ReferenceEquals(seen[t, c], e))
                    {
                        throw new InvalidOperationException($"client {c} moved from {seen[t, c]} to {e}");
                    }
                }
            }
        });

        for (var c = 0; c < 500; c++)
        {
            Assert.Same(seen[0, c], seen[1, c]);
            Assert.Same(seen[0, c], seen[2, c]);
            Assert.Same(seen[0, c], seen[3, c]);
        }

        Assert.Equal(500, table.Count);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClientIpAffinityTable(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClientIpAffinityTable(Timeout, capacity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClientIpAffinityTable(Timeout, ClientIpAffinityTable.MaxCapacity + 1));
    }

    private BackendEndpoint? Select(ClientIpAffinityTable table, ClientAddress client, EndpointSet set, IEndpointPicker picker, BackendEndpoint? exclude = null) =>
        table.Select(client, set, picker, exclude, _clock.GetTimestamp());

    private ClientIpAffinityTable NewTable(int capacity = 64, TimeSpan? timeout = null) =>
        new(timeout ?? Timeout, capacity, _clock);
}
