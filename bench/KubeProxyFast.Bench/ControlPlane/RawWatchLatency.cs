using System.Diagnostics;
using System.Globalization;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Etcd;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// The peer of <see cref="WatchLatency"/>: W watches straight on etcd (dotnet-etcd, through
/// <see cref="EtcdStore"/>) and E puts at the same rate, each key naming its sequence number.
/// Send → receive is the floor an apiserver on this etcd and machine can reach.
/// </summary>
internal static class RawWatchLatency
{
    public static async Task<Dictionary<string, object>> RunAsync(EtcdStore store, int watcherCount, int events, int perSecond, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30 + (events / perSecond)));
        const string prefix = "/bench/rawwatch/";
        var revision = (await store.ListAsync(prefix, new StoreListOptions { Limit = 1 }, deadline.Token).ConfigureAwait(false)).Revision;
        var received = new long[watcherCount][];
        var readers = new List<Task<int>>();
        for (var w = 0; w < watcherCount; w++)
        {
            received[w] = new long[events];
            var times = received[w];
            readers.Add(Task.Run(() => ReadAsync(store, prefix, revision, times, deadline.Token), deadline.Token));
        }

        // Let the watches reach etcd before the first put.
        await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token).ConfigureAwait(false);
        var sent = new long[events];
        var interval = Stopwatch.Frequency / perSecond;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < events; i++)
        {
            var due = start + (i * interval);
            if (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due), deadline.Token).ConfigureAwait(false);
            }

            var key = prefix + i.ToString(CultureInfo.InvariantCulture);
            sent[i] = Stopwatch.GetTimestamp();
            await store.CommitAsync(new StoreTxn([StoreCondition.Absent(key)], [new StorePut(key, RawPuts.Value)]), deadline.Token).ConfigureAwait(false);
        }

        var missing = (await Task.WhenAll(readers).ConfigureAwait(false)).Sum();
        return new Dictionary<string, object>
        {
            ["watchers"] = watcherCount,
            ["events"] = events,
            ["missing"] = missing,
            ["from_send"] = Stats.Delays(received, sent),
        };
    }

    private static async Task<int> ReadAsync(EtcdStore store, string prefix, long revision, long[] received, CancellationToken cancellationToken)
    {
        var left = received.Length;
        try
        {
            await foreach (var change in store.WatchAsync(prefix, revision, cancellationToken).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                if (int.TryParse(change.Key.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < received.Length && received[i] == 0)
                {
                    received[i] = now;
                    if (--left == 0)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The deadline: what has not arrived counts as missing.
        }

        return left;
    }
}
