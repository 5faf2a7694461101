using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Etcd;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// Watch delivery latency: W watch streams on the pods from the current resourceVersion, then E
/// creates at a fixed rate, each carrying its Stopwatch send time in an annotation. For every
/// watcher × event: receive time − send time, receive time − the writer's 201 (negative when
/// the event beat the response), and receive time − when a watch straight on etcd in this process
/// saw the change (what the apiserver adds to delivery). The memory sample is taken with the watches still open.
/// </summary>
internal static class WatchLatency
{
    private static readonly byte[] ProbeKey = Encoding.UTF8.GetBytes($"\"{PodJson.ProbeAnnotation}\"");

    public static async Task<Dictionary<string, object>> RunAsync(
        HttpClient writer, HttpClient watchers, EtcdStore etcd, int watcherCount, int events, int perSecond, Func<Dictionary<string, object>> sampleMemory, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30 + (events / perSecond)));
        var revision = await CurrentRevisionAsync(writer, deadline.Token).ConfigureAwait(false);

        var received = new long[watcherCount][];
        var streams = new List<Stream>();
        for (var w = 0; w < watcherCount; w++)
        {
            received[w] = new long[events];
            var response = await watchers.GetAsync($"{PodJson.PodsPath}?watch=true&resourceVersion={revision}", HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            streams.Add(await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false));
        }

        var readers = streams.Select((stream, w) => Task.Run(() => ReadAsync(stream, received[w], deadline.Token), deadline.Token)).ToList();
        // The same changes seen straight from etcd, in this process: when each became visible to
        // any etcd watcher, so receive − this is what the apiserver adds to delivery.
        var atEtcd = new long[events];
        var direct = Task.Run(() => ReadEtcdAsync(etcd, revision, atEtcd, deadline.Token), deadline.Token);
        var sent = new long[events];
        var acked = new long[events];
        var interval = Stopwatch.Frequency / perSecond;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < events; i++)
        {
            var due = start + (i * interval);
            if (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due), deadline.Token).ConfigureAwait(false);
            }

            sent[i] = Stopwatch.GetTimestamp();
            using var content = PodJson.Create(string.Create(CultureInfo.InvariantCulture, $"w-{i}"), string.Create(CultureInfo.InvariantCulture, $"{i},{sent[i]}"));
            using var response = await writer.PostAsync(PodJson.PodsPath, content, deadline.Token).ConfigureAwait(false);
            acked[i] = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"watch probe create w-{i}: {(int)response.StatusCode}");
            }
        }

        var missing = (await Task.WhenAll(readers).ConfigureAwait(false)).Sum();
        await direct.ConfigureAwait(false);
        var memory = sampleMemory();
        foreach (var stream in streams)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        return new Dictionary<string, object>
        {
            ["watchers"] = watcherCount,
            ["events"] = events,
            ["rate_per_s"] = perSecond,
            ["missing"] = missing,
            // The apiserver's memory with the watches still open.
            ["memory"] = memory,
            ["from_send"] = Stats.Delays(received, sent),
            ["from_ack"] = Stats.Delays(received, acked),
            ["from_etcd"] = Stats.Delays(received, atEtcd),
        };
    }

    private static async Task<long> CurrentRevisionAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var list = JsonDocument.Parse(await http.GetByteArrayAsync(PodJson.PodsPath + "?limit=1", cancellationToken).ConfigureAwait(false));
        return long.Parse(list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Reads event lines until every probe arrived (or the deadline); returns how many never did.</summary>
    private static async Task<int> ReadAsync(Stream stream, long[] received, CancellationToken cancellationToken)
    {
        var left = received.Length;
        var buffer = new byte[1 << 16];
        var filled = 0;
        try
        {
            while (left > 0)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                // One timestamp per read: every event in it arrived together.
                var now = Stopwatch.GetTimestamp();
                filled += n;
                var consumed = 0;
                int newline;
                while ((newline = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n')) >= 0)
                {
                    if (Probe(buffer.AsSpan(consumed, newline)) is { } sequence && sequence < received.Length && received[sequence] == 0)
                    {
                        received[sequence] = now;
                        left--;
                    }

                    consumed += newline + 1;
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled == buffer.Length)
                {
                    throw new InvalidOperationException("a watch event is larger than 64 KiB");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The deadline: what has not arrived counts as missing.
        }

        return left;
    }

    /// <summary>Receive times of the probe pods on a watch straight on etcd's pods keys.</summary>
    private static async Task ReadEtcdAsync(EtcdStore etcd, long revision, long[] received, CancellationToken cancellationToken)
    {
        var left = received.Length;
        try
        {
            await foreach (var change in etcd.WatchAsync("/registry/pods/default/", revision, cancellationToken).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                if (change.Type == StoreEventType.Created && Probe(change.Value.Span) is { } sequence && sequence < received.Length && received[sequence] == 0)
                {
                    received[sequence] = now;
                    if (--left == 0)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The deadline.
        }
    }

    /// <summary>The sequence number in the probe annotation of one event line, if it has one.</summary>
    private static int? Probe(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOf(ProbeKey);
        if (at < 0)
        {
            return null;
        }

        var rest = line[(at + ProbeKey.Length)..];
        rest = rest[(rest.IndexOf((byte)'"') + 1)..];
        return Utf8Parser.TryParse(rest, out int sequence, out _) ? sequence : null;
    }
}
