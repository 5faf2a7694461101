using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Bench.Dataplane;

/// <summary>
/// The per-connection balancing step. Each category has as Baseline what a straightforward C#
/// kube-proxy would write: <c>Random.Shared.Next</c> over an array, a <c>lock</c>ed round-robin index
/// (the userspace proxier's LoadBalancerRR), and ClientIP affinity in a
/// <c>ConcurrentDictionary&lt;IPAddress, state&gt;</c> with <c>DateTime.UtcNow</c> timestamps. Affinity
/// benchmarks start from the client's raw sockaddr, as accept4 returns it, so both sides pay for
/// turning it into a key; "clock read" rows read the clock per call like the peer, "loop timestamp" rows
/// use one the event loop read when it woke up. All single-threaded: lock and interlocked costs are
/// uncontended.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BalancingBenchmarks
{
    private const int Endpoints = 16;
    private const int HitClients = 1024;
    private const int TableCapacity = ClientIpAffinityTable.DefaultCapacity;
    private static readonly TimeSpan Timeout = SessionAffinity.DefaultTimeout;

    private readonly Lock _roundRobinGate = new();
    private readonly RoundRobinEndpointPicker _roundRobin = new();
    private readonly ConcurrentDictionary<IPAddress, PeerAffinityState> _peerHits = new();
    private readonly ConcurrentDictionary<IPAddress, PeerAffinityState> _peerFull = new();
    private readonly IPAddress[] _peerKeys = new IPAddress[HitClients];
    private readonly IPAddress[] _peerFullRing = new IPAddress[TableCapacity];
    private readonly byte[][] _sockaddrs = new byte[HitClients][];

    private EndpointSet _set = EndpointSet.Empty;
    private IPEndPoint[] _peerEndpoints = [];
    private EndpointSelector _selector = null!;
    private ClientIpAffinityTable _table = null!;
    private EndpointSelector _fullSelector = null!;
    private int _peerRoundRobinIndex;
    private int _next;
    private uint _newClient;
    private int _peerFullRingNext;

    // What an event loop reads once per wake-up and hands to every accept of that pass.
    private long _loopTimestamp;

    [GlobalSetup]
    public void Setup()
    {
        var endpoints = ImmutableArray.CreateBuilder<IPEndPoint>(Endpoints);
        for (var i = 0; i < Endpoints; i++)
        {
            endpoints.Add(new IPEndPoint(new IPAddress([198, 18, 1, (byte)(i + 1)]), 8080));
        }

        var immutable = endpoints.MoveToImmutable();
        _set = new EndpointSet(immutable);
        _peerEndpoints = [.. immutable];

        _table = new ClientIpAffinityTable(Timeout);
        _loopTimestamp = _table.TimeProvider.GetTimestamp();
        _selector = new EndpointSelector(RandomEndpointPicker.Shared, _table);
        for (var i = 0; i < HitClients; i++)
        {
            _sockaddrs[i] = SockaddrIn(0xC6120000u + 0x200u + (uint)i);
            var client = ClientAddress.FromSocketAddress(_sockaddrs[i]);
            _ = _selector.Select(_set, client);
            _peerKeys[i] = client.ToIPAddress();
            _peerHits[_peerKeys[i]] = new PeerAffinityState(_peerEndpoints[i % Endpoints], DateTime.UtcNow);
        }

        // Full tables: every further client is new and displaces one.
        _fullSelector = new EndpointSelector(RandomEndpointPicker.Shared, new ClientIpAffinityTable(Timeout, TableCapacity));
        for (var i = 0; i < TableCapacity; i++)
        {
            var address = NextNewClient();
            _ = _fullSelector.Select(_set, ClientAddress.FromIPv4(address));
            var key = new IPAddress(IPAddress.HostToNetworkOrder((int)address) & 0xFFFFFFFFL);
            _peerFull[key] = new PeerAffinityState(_peerEndpoints[0], DateTime.UtcNow);
            _peerFullRing[i] = key;
        }
    }

    [Benchmark(Baseline = true, Description = "random pick: Random.Shared.Next")]
    [BenchmarkCategory("RandomPick")]
    public IPEndPoint RandomPickPeer() => _peerEndpoints[Random.Shared.Next(_peerEndpoints.Length)];

    [Benchmark(Description = "random pick: kpf RandomEndpointPicker")]
    [BenchmarkCategory("RandomPick")]
    public BackendEndpoint RandomPick() => _set[RandomEndpointPicker.Shared.Pick(_set)];

    [Benchmark(Baseline = true, Description = "round-robin pick: lock + index")]
    [BenchmarkCategory("RoundRobinPick")]
    public IPEndPoint RoundRobinPickPeer()
    {
        lock (_roundRobinGate)
        {
            var endpoint = _peerEndpoints[_peerRoundRobinIndex];
            _peerRoundRobinIndex = (_peerRoundRobinIndex + 1) % _peerEndpoints.Length;
            return endpoint;
        }
    }

    [Benchmark(Description = "round-robin pick: kpf Interlocked ticket")]
    [BenchmarkCategory("RoundRobinPick")]
    public BackendEndpoint RoundRobinPick() => _set[_roundRobin.Pick(_set)];

    [Benchmark(Baseline = true, Description = "affinity hit: ConcurrentDictionary<IPAddress> from sockaddr")]
    [BenchmarkCategory("AffinityHit")]
    public IPEndPoint? AffinityHitPeer()
    {
        // The peer needs an IPAddress key; from a sockaddr that is one allocation per connection.
        var sockaddr = _sockaddrs[NextHitIndex()];
        return PeerHit(new IPAddress(sockaddr.AsSpan(4, 4)));
    }

    [Benchmark(Description = "affinity hit: ConcurrentDictionary<IPAddress> key given")]
    [BenchmarkCategory("AffinityHit")]
    public IPEndPoint? AffinityHitPeerKeyGiven() => PeerHit(_peerKeys[NextHitIndex()]);

    [Benchmark(Description = "affinity hit: kpf Select from sockaddr, clock read")]
    [BenchmarkCategory("AffinityHit")]
    public BackendEndpoint? AffinityHit() =>
        _selector.Select(_set, ClientAddress.FromSocketAddress(_sockaddrs[NextHitIndex()]));

    [Benchmark(Description = "affinity hit: kpf Select from sockaddr, loop timestamp")]
    [BenchmarkCategory("AffinityHit")]
    public BackendEndpoint? AffinityHitLoopTimestamp() =>
        _selector.Select(_set, ClientAddress.FromSocketAddress(_sockaddrs[NextHitIndex()]), _loopTimestamp);

    [Benchmark(Description = "affinity hit: kpf table, loop timestamp, no lock")]
    [BenchmarkCategory("AffinityHit")]
    public BackendEndpoint? AffinityHitUnlocked() =>
        _table.SelectUnlocked(ClientAddress.FromSocketAddress(_sockaddrs[NextHitIndex()]), _set, RandomEndpointPicker.Shared, null, _loopTimestamp);

    [Benchmark(Baseline = true, Description = "affinity insert, full: ConcurrentDictionary + FIFO evict")]
    [BenchmarkCategory("AffinityInsertEvict")]
    public IPEndPoint AffinityInsertPeer()
    {
        var address = NextNewClient();
        var key = new IPAddress(IPAddress.HostToNetworkOrder((int)address) & 0xFFFFFFFFL);
        var endpoint = _peerEndpoints[Random.Shared.Next(_peerEndpoints.Length)];
        _peerFull[key] = new PeerAffinityState(endpoint, DateTime.UtcNow);

        // Bound the map the cheapest way a straightforward implementation can: drop the oldest insert.
        ref var oldest = ref _peerFullRing[_peerFullRingNext];
        _ = _peerFull.TryRemove(oldest, out _);
        oldest = key;
        _peerFullRingNext = (_peerFullRingNext + 1) % _peerFullRing.Length;
        return endpoint;
    }

    [Benchmark(Description = "affinity insert, full: kpf sampled-LRU evict")]
    [BenchmarkCategory("AffinityInsertEvict")]
    public BackendEndpoint? AffinityInsert() => _fullSelector.Select(_set, ClientAddress.FromIPv4(NextNewClient()));

    private IPEndPoint? PeerHit(IPAddress key)
    {
        if (_peerHits.TryGetValue(key, out var state))
        {
            var now = DateTime.UtcNow;
            if (now - state.LastUsed < Timeout)
            {
                state.LastUsed = now;
                return state.EndPoint;
            }
        }

        return null;
    }

    private int NextHitIndex()
    {
        var i = _next + 1;
        _next = i == HitClients ? 0 : i;
        return _next;
    }

    // Host-order addresses in 198.18.0.0/15 (RFC 2544). The sequence wraps after 131 072 clients,
    // twice the 65 536-entry tables, so an earlier client has been evicted when it comes round again.
    private uint NextNewClient() => 0xC6120001u + (_newClient++ & 0x0001FFFFu);

    private static byte[] SockaddrIn(uint hostOrderAddress)
    {
        var bytes = new byte[16];
        BitConverter.GetBytes((ushort)2).CopyTo(bytes, 0);
        bytes[2] = 0x1F;
        bytes[3] = 0x90;
        bytes[4] = (byte)(hostOrderAddress >> 24);
        bytes[5] = (byte)(hostOrderAddress >> 16);
        bytes[6] = (byte)(hostOrderAddress >> 8);
        bytes[7] = (byte)hostOrderAddress;
        return bytes;
    }

    private sealed class PeerAffinityState(IPEndPoint endPoint, DateTime lastUsed)
    {
        public IPEndPoint EndPoint { get; } = endPoint;

        public DateTime LastUsed { get; set; } = lastUsed;
    }
}
