using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using KubeProxyFast.Storage.Etcd;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// <c>apiserver [--creates N] [--concurrency C] [--watchers W] [--watch-events E] [--watch-rate R] [--list-runs K]
/// [--replay-watchers W] [--replay-updates U] [--replay-object-kb KB]</c>:
/// against a real etcd on free loopback ports, raw etcd puts, then pod creates, LISTs, watch
/// delivery latency and RSS of the apiserver (a child process) on etcd, then creates, LISTs and
/// RSS of the apiserver on the embedded store, and its RSS while watches replay the history of a large object. Prints one JSON object; bench/apiserver/run.sh
/// turns it into the report. Progress goes to stderr.
/// </summary>
internal static class ApiServerMacroBenchmark
{
    // Steady state, not JIT warm-up: after 500 creates the tiered JIT was still compiling (perf:
    // libclrjit 22% of the apiserver's samples during the measured creates). The raw peer warms up alike.
    private const int DefaultWarmup = 5_000;
    private const string WrkNamespace = "bench-wrk";

    /// <summary>kubectl get's default <c>--chunk-size</c>.</summary>
    private const int KubectlChunkSize = 500;

    public static async Task<int> RunAsync(string[] args)
    {
        var creates = Args.Int(args, "--creates", 10_000);
        var warmup = Args.Int(args, "--warmup", DefaultWarmup);
        var concurrency = Args.Int(args, "--concurrency", 32);
        var listRuns = Args.Int(args, "--list-runs", 7);
        using var stop = new CancellationTokenSource();
        // SIGTERM/SIGINT end the run through the finally blocks, which stop etcd and the apiservers and delete their data.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var results = new Dictionary<string, object>();

        using (var etcd = EtcdServer.Launch())
        {
            Progress($"etcd at {etcd.ClientUrl}");
            await using (var store = new EtcdStore(etcd.ClientUrl))
            {
                await RawPuts.RunAsync(store, "warmup", concurrency, warmup, stop.Token).ConfigureAwait(false);
                results["raw_c1"] = await RawPuts.RunAsync(store, "c1", 1, Args.Int(args, "--raw-sequential", 2_000), stop.Token).ConfigureAwait(false);
                results["raw_concurrent"] = await RawPuts.RunAsync(store, "concurrent", concurrency, Args.Int(args, "--raw-concurrent", 20_000), stop.Token).ConfigureAwait(false);
                Progress($"raw puts: {Rate(results["raw_c1"])}/s sequential, {Rate(results["raw_concurrent"])}/s at {concurrency}");
                results["raw_watch"] = await RawWatchLatency.RunAsync(store, Args.Int(args, "--watchers", 100), Args.Int(args, "--watch-events", 500),
                    Args.Int(args, "--watch-rate", 100), stop.Token).ConfigureAwait(false);
                Progress("raw etcd watches done");
            }

            using var apiserver = await ApiServerProcess.StartAsync(["--etcd", etcd.ClientUrl], stop.Token).ConfigureAwait(false);
            Progress($"apiserver on etcd: pid {apiserver.Pid} at {apiserver.Url}");
            using var http = Client(apiserver.Url, concurrency);
            results["etcd_creates"] = await CreatesAsync(http, apiserver, warmup, creates, concurrency, stop.Token).ConfigureAwait(false);
            await ListsAsync(http, "etcd", listRuns, results, stop.Token).ConfigureAwait(false);
            results["etcd_memory"] = apiserver.Memory();
            Progress($"lists done; apiserver memory {JsonSerializer.Serialize(results["etcd_memory"])}");

            var watchers = Args.Int(args, "--watchers", 100);
            using var watchHttp = Client(apiserver.Url, watchers, Timeout.InfiniteTimeSpan);
            await using (var direct = new EtcdStore(etcd.ClientUrl))
            {
                results["watch"] = await WatchLatency.RunAsync(http, watchHttp, direct, watchers, Args.Int(args, "--watch-events", 500), Args.Int(args, "--watch-rate", 100),
                    apiserver.Memory, stop.Token).ConfigureAwait(false);
            }

            results["etcd_memory_after_watch"] = apiserver.Memory();
            Progress("watch done");
            // Last, so the pods wrk adds (tens of thousands) stay out of the RSS and LIST figures.
            using (var ns = await http.PostAsync("/api/v1/namespaces", PodJson.Namespace(WrkNamespace), stop.Token).ConfigureAwait(false))
            {
                ns.EnsureSuccessStatusCode();
            }

            results["etcd_wrk_creates"] = await WrkCreates.RunAsync(apiserver, WrkNamespace, concurrency, TimeSpan.FromSeconds(Args.Int(args, "--wrk-seconds", 10)), stop.Token)
                .ConfigureAwait(false);
            Progress($"wrk creates: {Rate(results["etcd_wrk_creates"])}/s");
        }

        var dataDirectory = Directory.CreateTempSubdirectory("kpf-embedded-").FullName;
        try
        {
            using var apiserver = await ApiServerProcess.StartAsync(["--data-dir", dataDirectory], stop.Token).ConfigureAwait(false);
            Progress($"apiserver on the embedded store: pid {apiserver.Pid} at {apiserver.Url}");
            using var http = Client(apiserver.Url, concurrency);
            results["embedded_creates"] = await CreatesAsync(http, apiserver, warmup, creates, concurrency, stop.Token).ConfigureAwait(false);
            await ListsAsync(http, "embedded", listRuns, results, stop.Token).ConfigureAwait(false);
            results["embedded_memory"] = apiserver.Memory();
            results["embedded_replay"] = await ReplayMemory.RunAsync(http, apiserver.Url, apiserver, Args.Int(args, "--replay-watchers", 20),
                Args.Int(args, "--replay-updates", 100), Args.Int(args, "--replay-object-kb", 768), stop.Token).ConfigureAwait(false);
            Progress($"replay done; apiserver memory {System.Text.Json.JsonSerializer.Serialize(results["embedded_replay"])}");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        Console.WriteLine(JsonSerializer.Serialize(results));
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>Warms the create path up in another namespace (JIT, connections), then creates N pods in default.</summary>
    private static async Task<Dictionary<string, object>> CreatesAsync(
        HttpClient http, ApiServerProcess apiserver, int warmup, int creates, int concurrency, CancellationToken cancellationToken)
    {
        using (var ns = await http.PostAsync("/api/v1/namespaces", PodJson.Namespace(PodJson.WarmupNamespace), cancellationToken).ConfigureAwait(false))
        {
            if (ns.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"creating namespace {PodJson.WarmupNamespace}: {(int)ns.StatusCode}");
            }
        }

        await PodCreates.RunAsync(http, PodJson.PodsIn(PodJson.WarmupNamespace), concurrency, warmup, cancellationToken).ConfigureAwait(false);
        var cpu = apiserver.CpuTime();
        var result = await PodCreates.RunAsync(http, PodJson.PodsPath, concurrency, creates, cancellationToken).ConfigureAwait(false);
        // The apiserver's own CPU per create: steadier than the rate on a machine that client, apiserver and etcd share.
        result["apiserver_cpu_us_per_create"] = (apiserver.CpuTime() - cpu).TotalMicroseconds / creates;
        Progress($"{creates} creates: {Rate(result)}/s");
        return result;
    }

    /// <summary>Whole LISTs as JSON and as a Table (what kubectl get asks for), in one response and in kubectl's pages of 500.</summary>
    private static async Task ListsAsync(HttpClient http, string store, int runs, Dictionary<string, object> results, CancellationToken cancellationToken)
    {
        foreach (var (name, accept) in new[] { ("json", (string?)null), ("table", ListTimes.TableAccept) })
        {
            results[$"{store}_list_{name}"] = await ListTimes.RunAsync(http, accept, 0, runs, cancellationToken).ConfigureAwait(false);
            results[$"{store}_list_{name}_paged"] = await ListTimes.RunAsync(http, accept, KubectlChunkSize, runs, cancellationToken).ConfigureAwait(false);
        }
    }

    private static HttpClient Client(Uri url, int connections, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
        {
            BaseAddress = url,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };

    private static string Rate(object summary) => ((double)((Dictionary<string, object>)summary)["per_s"]).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
