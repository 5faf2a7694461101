using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// The apiserver's RSS while watches replay the history of a large object (issue 12, defect 3:
/// each replay of 300 changes of a 2.5 MB object held 0.6 GB): one Event whose message is
/// <c>objectKb</c> KB, updated U times, then W watches from its first revision that read all U
/// changes, all at once. VmRSS of the apiserver is sampled every 20 ms while they run.
/// </summary>
internal static class ReplayMemory
{
    private const string EventsPath = "/api/v1/namespaces/default/events";
    private const string Name = "replay-large";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<Dictionary<string, object>> RunAsync(
        HttpClient writer, Uri url, ApiServerProcess apiserver, int watchers, int updates, int objectKb, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(120));
        string firstRevision;
        using (var created = await writer.PostAsync(EventsPath, Event(0, objectKb), deadline.Token).ConfigureAwait(false))
        {
            if (created.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"creating the large event: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false)}");
            }

            var body = await created.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            firstRevision = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
        }

        for (var i = 1; i <= updates; i++)
        {
            using var updated = await writer.PutAsync($"{EventsPath}/{Name}", Event(i, objectKb), deadline.Token).ConfigureAwait(false);
            updated.EnsureSuccessStatusCode();
        }

        var before = apiserver.Memory();
        using var readers = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = watchers, UseProxy = false })
        {
            BaseAddress = url,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        var sampler = Task.Run(() => PeakRssAsync(apiserver, sampling.Token), deadline.Token);
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, watchers).Select(_ => ReplayAsync(readers, firstRevision, updates, deadline.Token))).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await sampling.CancelAsync().ConfigureAwait(false);
        var peak = await sampler.ConfigureAwait(false);
        return new Dictionary<string, object>
        {
            ["watchers"] = watchers,
            ["updates"] = updates,
            ["object_bytes"] = objectKb * 1024,
            ["events_received"] = counts.Sum(),
            ["seconds"] = seconds,
            ["before"] = before,
            ["peak_vmrss_bytes"] = Math.Max(peak, (long)apiserver.Memory()["vmrss_bytes"]),
            ["after"] = apiserver.Memory(),
        };
    }

    /// <summary>One watch from the first revision, read to its <paramref name="updates"/>th change (one line each) and closed.</summary>
    private static async Task<int> ReplayAsync(HttpClient http, string revision, int updates, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"{EventsPath}?watch=true&resourceVersion={revision}", HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var lines = 0;
        while (lines < updates)
        {
            var n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            lines += buffer.AsSpan(0, n).Count((byte)'\n');
        }

        return lines;
    }

    private static async Task<long> PeakRssAsync(ApiServerProcess apiserver, CancellationToken cancellationToken)
    {
        long peak = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            peak = Math.Max(peak, (long)apiserver.Memory()["vmrss_bytes"]);
            try
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }

    /// <summary>The Event, its message <paramref name="kb"/> KB of text that differs per <paramref name="version"/>.</summary>
    private static ByteArrayContent Event(int version, int kb)
    {
        var message = version.ToString(CultureInfo.InvariantCulture).PadRight(kb * 1024, 'x');
        var json = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"" + Name + "\"}," +
                   "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"default\"},\"reason\":\"Large\",\"message\":\"" + message + "\"}";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = Json;
        return content;
    }
}
