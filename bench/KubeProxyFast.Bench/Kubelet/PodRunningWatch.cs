using System.Collections.Concurrent;
using System.Text.Json;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Bench.Kubelet;

/// <summary>
/// A watch on one namespace's pods through the apiserver, as Kubernetes' pod startup SLI observes
/// them: the wall-clock moment each pod was first seen Running, and its containers' IDs. Re-watches
/// from the last version when the server ends the stream.
/// </summary>
internal sealed class PodRunningWatch : IAsyncDisposable
{
    private readonly KubeletNode _node;
    private readonly string _ns;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private string _resourceVersion = "0";

    public PodRunningWatch(KubeletNode node, string ns)
    {
        _node = node;
        _ns = ns;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Pod name → when it was first seen Running (UTC).</summary>
    public ConcurrentDictionary<string, DateTime> Running { get; } = new();

    /// <summary>Container ID (without the runtime prefix) → pod name.</summary>
    public ConcurrentDictionary<string, string> Containers { get; } = new();

    /// <summary>Waits until every one of <paramref name="names"/> was seen Running.</summary>
    public async Task WaitAsync(IReadOnlyCollection<string> names, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (names.Any(n => !Running.ContainsKey(n)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{names.Count(n => !Running.ContainsKey(n))} of {names.Count} pods not Running within {timeout.TotalSeconds} s\n{_node.Diagnostics()}");
            }

            await Task.Delay(20).ConfigureAwait(false);
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
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var uri = new Uri(_node.ApiServerUrl, $"/api/v1/namespaces/{_ns}/pods?watch=1&allowWatchBookmarks=false&resourceVersion={_resourceVersion}");
                using var response = await _node.Http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false));
                while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
                {
                    var seenAt = DateTime.UtcNow;
                    using var e = JsonDocument.Parse(line);
                    var obj = e.RootElement.GetProperty("object");
                    if (e.RootElement.GetProperty("type").GetString() == "ERROR")
                    {
                        _resourceVersion = "0";
                        break;
                    }

                    var meta = obj.GetProperty("metadata");
                    _resourceVersion = meta.GetProperty("resourceVersion").GetString()!;
                    var name = meta.GetProperty("name").GetString()!;
                    if (!obj.TryGetProperty("status", out var status))
                    {
                        continue;
                    }

                    if (status.TryGetProperty("phase", out var phase) && phase.GetString() == "Running")
                    {
                        Running.TryAdd(name, seenAt);
                    }

                    if (status.TryGetProperty("containerStatuses", out var containers))
                    {
                        foreach (var c in containers.EnumerateArray())
                        {
                            if (c.TryGetProperty("containerID", out var id) && id.GetString() is { Length: > 0 } full)
                            {
                                Containers[full[(full.IndexOf("://", StringComparison.Ordinal) + 3)..]] = name;
                            }
                        }
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
            {
                await Task.Delay(100, _stop.Token).ConfigureAwait(false);
            }
        }
    }
}
