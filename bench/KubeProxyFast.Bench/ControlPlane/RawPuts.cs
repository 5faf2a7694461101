using System.Diagnostics;
using System.Globalization;
using System.Text;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Etcd;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// The ceiling for creates: create-if-absent transactions of ~1 KB values straight to etcd
/// through <see cref="EtcdStore"/> (dotnet-etcd), under a prefix the apiserver never reads.
/// </summary>
internal static class RawPuts
{
    // About the size of a stored pod with defaults filled in (the bench's pod is ~0.6–1 KB stored).
    public static readonly byte[] Value = Encoding.ASCII.GetBytes(new string('x', 1024));

    /// <summary>Puts <paramref name="count"/> keys with <paramref name="concurrency"/> callers in flight; returns puts/s.</summary>
    public static async Task<Dictionary<string, object>> RunAsync(EtcdStore store, string name, int concurrency, int count, CancellationToken cancellationToken)
    {
        var next = -1;
        var latencies = new long[count];
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"/bench/raw/{name}/{i}");
                var t0 = Stopwatch.GetTimestamp();
                var result = await store.CommitAsync(new StoreTxn([StoreCondition.Absent(key)], [new StorePut(key, Value)]), cancellationToken).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetTimestamp() - t0;
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"raw put of {key} found the key present");
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var summary = Stats.Summary(latencies);
        summary["concurrency"] = concurrency;
        summary["count"] = count;
        summary["per_s"] = count / seconds;
        return summary;
    }
}
