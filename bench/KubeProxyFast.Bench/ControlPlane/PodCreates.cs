using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>N pod creates (POST) through the apiserver with a fixed number of requests in flight.</summary>
internal static class PodCreates
{
    public static async Task<Dictionary<string, object>> RunAsync(
        HttpClient http, string path, int concurrency, int count, CancellationToken cancellationToken, Func<string, ByteArrayContent>? content = null)
    {
        var next = -1;
        var failures = 0;
        string? firstFailure = null;
        var latencies = new long[count];
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && !cancellationToken.IsCancellationRequested)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"p-{i}");
                using var request = content is null ? PodJson.Create(name) : content(name);
                var t0 = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(path, request, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetTimestamp() - t0;
                if (response.StatusCode != HttpStatusCode.Created && Interlocked.Increment(ref failures) == 1)
                {
                    firstFailure = $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}";
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} of {count} creates failed; first: {firstFailure}");
        }

        var summary = Stats.Summary(latencies);
        summary["concurrency"] = concurrency;
        summary["count"] = count;
        summary["per_s"] = count / seconds;
        return summary;
    }
}
