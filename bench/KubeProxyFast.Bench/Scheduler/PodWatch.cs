using System.Diagnostics;
using System.Text.Json;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// A watch on the pods of one namespace, through the apiserver as any client sees them: the
/// moment each pod was first seen and the moment it was first seen bound (<c>spec.nodeName</c>
/// set), Stopwatch timestamps taken when the event was read. Re-watches from the last version
/// when the server ends the stream.
/// </summary>
internal sealed class PodWatch : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _ns;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, long> _seen = [];
    private readonly Dictionary<string, long> _bound = [];
    private readonly List<long> _boundTimes = [];
    private readonly Task _loop;
    private string _resourceVersion;
    private Exception? _failure;

    private PodWatch(HttpClient http, string ns, string resourceVersion)
    {
        _http = http;
        _ns = ns;
        _resourceVersion = resourceVersion;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Pods seen so far (created and not yet deleted or not).</summary>
    public int Seen { get { lock (_seen) { return _seen.Count; } } }

    /// <summary>Pods seen bound so far.</summary>
    public int Bound { get { lock (_seen) { return _bound.Count; } } }

    /// <summary>Starts watching <paramref name="ns"/> from now (the version of a LIST).</summary>
    public static async Task<PodWatch> StartAsync(HttpClient http, string ns, CancellationToken cancellationToken)
    {
        using var list = await http.GetAsync($"/api/v1/namespaces/{ns}/pods?limit=1", cancellationToken).ConfigureAwait(false);
        list.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await list.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        return new PodWatch(http, ns, body.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!);
    }

    /// <summary>Waits until <paramref name="done"/>(seen, bound) holds; fails after <paramref name="timeout"/> or when the watch broke.</summary>
    public async Task WaitAsync(Func<int, int, bool> done, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_failure is { } failure)
            {
                throw new InvalidOperationException($"the watch on {_ns} failed", failure);
            }

            int seen, bound;
            lock (_seen)
            {
                (seen, bound) = (_seen.Count, _bound.Count);
            }

            if (done(seen, bound))
            {
                return;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds} s ({seen} pods seen, {bound} bound)");
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The timestamps at which pods were first seen bound, in the order they were read.</summary>
    public long[] BoundTimes()
    {
        lock (_seen)
        {
            return [.. _boundTimes];
        }
    }

    /// <summary>The last time a pod was first seen, or 0.</summary>
    public long LastSeen()
    {
        lock (_seen)
        {
            return _seen.Count == 0 ? 0 : _seen.Values.Max();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var response = await _http.GetAsync($"/api/v1/namespaces/{_ns}/pods?watch=1&allowWatchBookmarks=true&resourceVersion={_resourceVersion}",
                    HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false));
                while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
                {
                    Handle(line, Stopwatch.GetTimestamp());
                }
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            _failure = e;
        }
    }

    private void Handle(string line, long now)
    {
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.GetProperty("type").GetString();
        var obj = doc.RootElement.GetProperty("object");
        if (type == "ERROR")
        {
            throw new InvalidOperationException("watch error: " + obj.GetRawText());
        }

        var metadata = obj.GetProperty("metadata");
        _resourceVersion = metadata.GetProperty("resourceVersion").GetString()!;
        if (type is not ("ADDED" or "MODIFIED"))
        {
            return;
        }

        var name = metadata.GetProperty("name").GetString()!;
        var bound = obj.TryGetProperty("spec", out var spec) && spec.TryGetProperty("nodeName", out var node) && node.GetString() is { Length: > 0 };
        lock (_seen)
        {
            _seen.TryAdd(name, now);
            if (bound && _bound.TryAdd(name, now))
            {
                _boundTimes.Add(now);
            }
        }
    }
}
