using System.Runtime.CompilerServices;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Metrics;

/// <summary>The counters kept per service port.</summary>
public enum Counter
{
    /// <summary>Client connections (TCP) or sessions (UDP) accepted.</summary>
    ConnectionsAccepted,
    /// <summary>Connections closed; active = accepted - closed.</summary>
    ConnectionsClosed,
    /// <summary>Connections refused or failed: no endpoints, or no endpoint reachable.</summary>
    ConnectionsFailed,
    /// <summary>Bytes from clients to endpoints.</summary>
    BytesToEndpoints,
    /// <summary>Bytes from endpoints to clients.</summary>
    BytesToClients,
    /// <summary>Failed connects to an endpoint (each retry counts).</summary>
    EndpointConnectErrors,
    /// <summary>UDP datagrams from clients.</summary>
    DatagramsToEndpoints,
    /// <summary>UDP datagrams to clients.</summary>
    DatagramsToClients,
}

/// <summary>
/// Counters of one service port. Each event loop writes only its own 128-byte-aligned row, with
/// plain (non-interlocked) increments: no contention and no atomic instructions on the hot path.
/// Readers sum the rows; 64-bit aligned reads are atomic on the platforms we run on, so a sum is
/// at worst a few increments behind.
/// </summary>
public sealed class ServicePortCounters
{
    // 16 longs = 128 bytes per row: a row never shares a cache line (or an adjacent-line
    // prefetch pair) with another loop's row.
    private const int Stride = 16;

    private readonly long[] _values;

    /// <summary>Creates counters for <paramref name="loops"/> event loops.</summary>
    public ServicePortCounters(ServicePortId id, int loops)
    {
        Id = id;
        Loops = loops;
        _values = GC.AllocateArray<long>((loops + 1) * Stride, pinned: true);
    }

    /// <summary>The service port counted.</summary>
    public ServicePortId Id { get; }

    /// <summary>Number of loop rows.</summary>
    public int Loops { get; }

    /// <summary>Adds <paramref name="amount"/> to <paramref name="counter"/> in <paramref name="loop"/>'s row. Loop thread only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int loop, Counter counter, long amount = 1) =>
        _values[((loop + 1) * Stride) + (int)counter] += amount;

    /// <summary>The total of <paramref name="counter"/> over all loops.</summary>
    public long Read(Counter counter)
    {
        long total = 0;
        for (var loop = 0; loop < Loops; loop++)
        {
            total += Volatile.Read(ref _values[((loop + 1) * Stride) + (int)counter]);
        }

        return total;
    }

    /// <summary>The value of <paramref name="counter"/> in <paramref name="loop"/>'s row: what that loop counted.</summary>
    public long Read(int loop, Counter counter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(loop);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(loop, Loops);
        return Volatile.Read(ref _values[((loop + 1) * Stride) + (int)counter]);
    }

    /// <summary>Connections currently open.</summary>
    public long Active => Math.Max(0, Read(Counter.ConnectionsAccepted) - Read(Counter.ConnectionsClosed));
}
