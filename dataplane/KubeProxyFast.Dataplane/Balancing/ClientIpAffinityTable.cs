using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>
/// ClientIP session affinity for one service port: which endpoint each client is pinned to and when
/// it last used it. Semantics follow Kubernetes (and the userspace proxier's LoadBalancerRR in
/// <c>pkg/proxy/userspace/roundrobin.go</c>):
/// <list type="bullet">
/// <item>a client keeps its endpoint while it keeps using it: every use refreshes the last-used time
/// (a sliding timeout), and an entry idle for the timeout or longer counts as absent;</item>
/// <item>expiry is lazy — an expired entry is replaced when its client comes back, dropped by
/// <see cref="Reap"/>, or reclaimed when the table is full;</item>
/// <item>an entry whose endpoint is no longer in the current <see cref="EndpointSet"/> counts as absent,
/// and the client is pinned to a new pick;</item>
/// <item>after a failed connect the engine calls <see cref="ResetClient"/> (the userspace proxier's
/// <c>sessionAffinityReset</c>) so the retry pins the client elsewhere.</item>
/// </list>
/// </summary>
/// <remarks>
/// <para>Storage is one array of struct entries with linear probing and backward-shift deletion (no
/// tombstones), keyed by a seeded hash of <see cref="ClientAddress"/>. Looking up, refreshing and
/// re-pinning a known client allocate nothing; the array only grows (doubling, load ≤ 3/4) while the
/// client population does, up to the size that <see cref="Capacity"/> needs.</para>
/// <para>Bounded: when <see cref="Capacity"/> clients are pinned and a new one arrives, the table first
/// reaps every expired entry (a full scan, at most once a second so that a flood of new clients cannot
/// make every insert O(capacity)), and if it is still full evicts an approximate least-recently-used
/// entry: the oldest of <see cref="EvictionSampleSize"/> entries after a sweeping hand, a sample as
/// Redis takes for its approximate LRU. Slot order is hash order, uncorrelated with age, so a sample
/// of k entries puts the victim on average among the oldest 1/(k+1); an exact LRU list would instead
/// cost two pointer updates, and two more cache misses, on every hit.</para>
/// <para>Concurrency: every operation takes one short <see cref="Lock"/>. Measured by
/// BalancingBenchmarks (2-core EPYC KVM host, .NET 10): a hit costs 36 ns without the lock and 44 ns
/// with it, uncontended; event-loop threads selecting for the same service port serialise for about
/// that long. Contended cost was not measured.</para>
/// </remarks>
public sealed partial class ClientIpAffinityTable
{
    /// <summary>The default bound on pinned clients per service port.</summary>
    public const int DefaultCapacity = 65536;

    /// <summary>The largest allowed capacity: 2^20 clients, at most 2^21 slots of 40 bytes (80 MiB).</summary>
    public const int MaxCapacity = 1 << 20;

    /// <summary>How many entries an eviction compares to find the least recently used.</summary>
    public const int EvictionSampleSize = 16;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly long _timeoutTicks;
    private readonly long _fullReapIntervalTicks;

    /// <summary>Creates an empty table.</summary>
    /// <param name="timeout">How long an idle client stays pinned; must be positive.</param>
    /// <param name="capacity">The most clients kept; from 1 to <see cref="MaxCapacity"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public ClientIpAffinityTable(TimeSpan timeout, int capacity = DefaultCapacity, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxCapacity);
        _time = timeProvider ?? TimeProvider.System;
        Timeout = timeout;
        Capacity = capacity;
        _timeoutTicks = ToTimestampTicks(timeout, _time.TimestampFrequency);
        _fullReapIntervalTicks = ToTimestampTicks(FullReapInterval, _time.TimestampFrequency);
        _lastFullReap = _time.GetTimestamp() - _fullReapIntervalTicks;
        _maxSlots = (int)BitOperations.RoundUpToPowerOf2((uint)(((long)capacity * 4 + 2) / 3));
        _slots = NewSlots(Math.Min(InitialSlots, _maxSlots));
        _seed = (ulong)Random.Shared.NextInt64();
    }

    /// <summary>How long an idle client stays pinned.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The clock; timestamps passed to <see cref="EndpointSelector"/> must come from it.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>The most clients kept.</summary>
    public int Capacity { get; }

    /// <summary>Entries held, including expired ones not yet reaped or replaced.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The endpoint <paramref name="client"/> is pinned to, if the pin is live and the endpoint is in
    /// <paramref name="set"/>; a hit refreshes the last-used time, a stale entry is dropped.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="set">The current endpoints; the result is this set's instance.</param>
    /// <param name="endpoint">The pinned endpoint.</param>
    public bool TryGet(in ClientAddress client, EndpointSet set, [NotNullWhen(true)] out BackendEndpoint? endpoint)
    {
        ArgumentNullException.ThrowIfNull(set);
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var slot = FindSlot(client);
            if (slot >= 0)
            {
                ref var entry = ref _slots[slot];
                if (now - entry.LastUsed < _timeoutTicks && set.TryFind(entry.Endpoint!, out endpoint))
                {
                    entry.Endpoint = endpoint;
                    entry.LastUsed = now;
                    return true;
                }

                RemoveAt(slot);
            }

            endpoint = null;
            return false;
        }
    }

    /// <summary>Pins <paramref name="client"/> to <paramref name="endpoint"/> as of now.</summary>
    public void Set(in ClientAddress client, BackendEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var slot = FindSlot(client);
            if (slot >= 0)
            {
                _slots[slot].Endpoint = endpoint;
                _slots[slot].LastUsed = now;
            }
            else
            {
                Insert(~slot, client, endpoint, now);
            }
        }
    }

    /// <summary>
    /// Forgets <paramref name="client"/>'s pin, as kube-proxy does when a connect to the pinned
    /// endpoint fails. With <paramref name="onlyIfPinnedTo"/>, only a pin to that endpoint is dropped,
    /// so a failure report does not undo a newer pin another connection has made meanwhile.
    /// </summary>
    /// <returns>True when an entry was removed.</returns>
    public bool ResetClient(in ClientAddress client, BackendEndpoint? onlyIfPinnedTo = null)
    {
        lock (_lock)
        {
            var slot = FindSlot(client);
            if (slot < 0 || (onlyIfPinnedTo is not null && !onlyIfPinnedTo.Equals(_slots[slot].Endpoint)))
            {
                return false;
            }

            RemoveAt(slot);
            return true;
        }
    }

    /// <summary>Drops every expired entry; a full scan, meant for a periodic timer.</summary>
    /// <returns>How many entries were dropped.</returns>
    public int Reap()
    {
        lock (_lock)
        {
            return ReapExpired(_time.GetTimestamp());
        }
    }

    /// <summary>
    /// The one affinity step per new connection, atomic so that two connections racing from a new
    /// client land on the same endpoint: a live pin to an endpoint of <paramref name="set"/> (other
    /// than <paramref name="exclude"/>) is refreshed and returned; otherwise <paramref name="picker"/>
    /// chooses and the client is pinned to its choice.
    /// </summary>
    /// <param name="client">The connecting client.</param>
    /// <param name="set">The current endpoints.</param>
    /// <param name="picker">Chooses on a miss.</param>
    /// <param name="exclude">An endpoint not to return unless it is the only one.</param>
    /// <param name="now">A timestamp of <see cref="TimeProvider"/>.</param>
    internal BackendEndpoint? Select(in ClientAddress client, EndpointSet set, IEndpointPicker picker, BackendEndpoint? exclude, long now)
    {
        lock (_lock)
        {
            return SelectUnlocked(client, set, picker, exclude, now);
        }
    }

    /// <summary><see cref="Select"/> without the lock: single-threaded callers and the lock-cost benchmark.</summary>
    internal BackendEndpoint? SelectUnlocked(in ClientAddress client, EndpointSet set, IEndpointPicker picker, BackendEndpoint? exclude, long now)
    {
        if (set.IsEmpty)
        {
            return null;
        }

        var excludedIndex = exclude is not null && set.TryFind(exclude, out var excluded) ? excluded.Index : -1;
        var slot = FindSlot(client);
        if (slot >= 0)
        {
            ref var entry = ref _slots[slot];
            if (now - entry.LastUsed >= _timeoutTicks
                || !set.TryFind(entry.Endpoint!, out var current)
                || current.Index == excludedIndex)
            {
                // Expired, endpoint gone, or the endpoint just failed: re-pin in place.
                current = set[Pick(set, picker, excludedIndex)];
            }

            entry.Endpoint = current;
            entry.LastUsed = now;
            return current;
        }

        var picked = set[Pick(set, picker, excludedIndex)];
        Insert(~slot, client, picked, now);
        return picked;
    }

    private static int Pick(EndpointSet set, IEndpointPicker picker, int excludedIndex) =>
        excludedIndex < 0 ? picker.Pick(set) : picker.PickExcept(set, excludedIndex);

    private static long ToTimestampTicks(TimeSpan span, long frequency) =>
        (long)Int128.Min((Int128)span.Ticks * frequency / TimeSpan.TicksPerSecond, long.MaxValue / 4);
}
