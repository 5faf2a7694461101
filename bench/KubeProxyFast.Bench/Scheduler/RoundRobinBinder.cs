using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// The apiserver's ceiling for the SchedulingBasic load: instead of a scheduler, this process
/// binds every pod it sees added to the next node in turn, with a fixed number of binds in flight
/// — the same creates, bindings and watch events through the apiserver, with no scheduling work.
/// </summary>
internal sealed class RoundRobinBinder : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<(string Namespace, string Name)> _added = Channel.CreateUnbounded<(string, string)>();
    private readonly Task _all;
    private int _next;

    public RoundRobinBinder(HttpClient watchHttp, HttpClient http, string[] namespaces, int nodes, int inFlight)
    {
        var loops = namespaces.Select(ns => Task.Run(() => WatchAsync(watchHttp, ns)))
            .Concat(Enumerable.Range(0, inFlight).Select(_ => Task.Run(() => BindAsync(http, nodes))));
        _all = Task.WhenAll(loops);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _all.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task WatchAsync(HttpClient http, string ns)
    {
        using var response = await http.GetAsync($"/api/v1/namespaces/{ns}/pods?watch=1", HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false));
        while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("type").GetString() == "ADDED")
            {
                _added.Writer.TryWrite((ns, doc.RootElement.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString()!));
            }
        }
    }

    private async Task BindAsync(HttpClient http, int nodes)
    {
        await foreach (var (ns, name) in _added.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            var node = Interlocked.Increment(ref _next) % nodes;
            var body = $"{{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{{\"name\":\"{name}\"}},\"target\":{{\"kind\":\"Node\",\"name\":\"node-{node}\"}}}}";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/{name}/binding", content, _stop.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                SchedulerMacroBenchmark.Progress($"binding {ns}/{name}: {(int)response.StatusCode}");
            }
        }
    }
}
