using System.Diagnostics;
using System.Globalization;
using System.Net;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KubeProxyFast.ApiServer.Tests.Fuzz;

/// <summary>Runs alone, so the memory it measures is the server's and its CPU is not shared with other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "fuzz";
}

/// <summary>
/// A seeded, time-bounded fuzz pass over the request decoders — JSON and YAML bodies, the three
/// patch types, query parameters — against a real apiserver over loopback HTTP. No request may
/// get a 5xx (the store is up, so not even 503) or go unanswered, and the server's managed
/// memory after a full collection must stay bounded. The seed is printed; KPF_FUZZ_SEED replays
/// a run, KPF_FUZZ_SECONDS and KPF_FUZZ_REQUESTS lengthen it.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class RequestDecoderFuzzTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int DefaultSeed = 20261206;

    // About 20 s on this 2-core machine, a few thousand requests; the count bounds a fast machine.
    private const int DefaultSeconds = 20;
    private const int DefaultRequests = 20_000;

    // A request gets its status line in milliseconds (a watch's headers come before its events);
    // one that has none after this long counts as hanging.
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(10);

    // Managed memory the run may leave behind after a full collection: the objects it created
    // and the watch cache's history of them, 65–80 MB measured over three seeds. The run sends
    // about 120 MB of bodies, so keeping them (or a buffer per request) would pass the bound.
    private const long MaxRetainedBytes = 160L * 1024 * 1024;

    private readonly ServerErrors _serverErrors = new();
    private readonly LoggerFactory _loggers = new();
    private TestApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _loggers.AddProvider(_serverErrors);
        _server = await TestApiServer.StartAsync(loggerFactory: _loggers);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _loggers.Dispose();
        _serverErrors.Dispose();
    }

    [Fact]
    public async Task Fuzz_MutatedBodiesPatchesAndQueries_NoServerErrorAndBoundedMemory()
    {
        var seed = Setting("KPF_FUZZ_SEED", DefaultSeed);
        var budget = TimeSpan.FromSeconds(Setting("KPF_FUZZ_SECONDS", DefaultSeconds));
        var maxRequests = Setting("KPF_FUZZ_REQUESTS", DefaultRequests);
        output.WriteLine($"seed {seed} (KPF_FUZZ_SEED={seed} replays this run), up to {maxRequests} requests or {budget.TotalSeconds} s");
        await CreateBaseObjects();
        var memoryBefore = ManagedMemoryAfterCollection();

        var generator = new FuzzRequests(new Random(seed));
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var bodyBytes = 0L;
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < maxRequests && clock.Elapsed < budget)
        {
            var request = generator.Next();
            sent++;
            bodyBytes += request.Body?.Length ?? 0;
            _serverErrors.Drain();
            var (status, answer) = await Send(request);
            var key = $"{request.Kind} {status}";
            tally[key] = tally.GetValueOrDefault(key) + 1;
            if ((status is >= 500 or 0) && failures.Count < 25)
            {
                failures.Add($"request {sent}: {(status == 0 ? "no answer" : status.ToString(CultureInfo.InvariantCulture))} {answer}\n    for {request}\n    server log: {string.Join("\n    ", _serverErrors.Drain())}");
            }
        }

        clock.Stop();
        var retained = ManagedMemoryAfterCollection() - memoryBefore;
        output.WriteLine($"{sent} requests ({bodyBytes / 1024} KiB of bodies) in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"managed memory retained after a full collection: {retained / 1024} KiB; peak working set {Environment.WorkingSet / (1024 * 1024)} MiB now, " +
            $"{Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB at most");
        output.WriteLine(string.Join('\n', tally.Select(t => $"  {t.Key}: {t.Value}")));
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} requests got a server error or no answer:\n{string.Join('\n', failures)}");
        Assert.InRange(retained, long.MinValue, MaxRetainedBytes);
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync($"/api/v1/namespaces/default/pods/{FuzzRequests.BasePod}")).StatusCode);
    }

    /// <summary>The status code, or 0 when no status line came in time; for a 5xx, the body's start.</summary>
    private async Task<(int Status, string Answer)> Send(FuzzRequest request)
    {
        using var timeout = new CancellationTokenSource(AnswerWithin);
        using var message = request.ToMessage();
        try
        {
            // Headers only: a watch streams until its timeout, and the status is what is checked.
            using var response = await _server.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (status < 500)
            {
                return (status, "");
            }

            var answer = await response.Content.ReadAsStringAsync(timeout.Token);
            return (status, answer.Length > 300 ? answer[..300] + "…" : answer);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (0, $"nothing within {AnswerWithin.TotalSeconds} s");
        }
        catch (HttpRequestException e)
        {
            return (0, $"the connection failed: {e.Message}");
        }
    }

    private async Task CreateBaseObjects()
    {
        foreach (var (resource, kind, name) in new[]
        {
            ("pods", "Pod", FuzzRequests.BasePod),
            ("services", "Service", FuzzRequests.BaseService),
            ("replicationcontrollers", "ReplicationController", FuzzRequests.BaseController),
        })
        {
            var response = await _server.PostJsonAsync($"/api/v1/namespaces/default/{resource}", FuzzRequests.Template(kind, name).ToJsonString());
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static long ManagedMemoryAfterCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static int Setting(string name, int defaultValue) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : defaultValue;
}
