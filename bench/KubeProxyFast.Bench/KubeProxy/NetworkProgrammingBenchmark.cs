using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Bench.ControlPlane;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Bench.KubeProxy;

/// <summary>
/// <c>kube-proxy-programming</c>: network programming latency of <c>kpf proxy --master</c>. An
/// apiserver child (embedded store) holds N Services × 5 endpoints; a proxy child
/// (<see cref="ProxyHostCommand"/>) serves them in each mode; then Endpoints are updated at a
/// fixed rate, each stamped with <c>endpoints.kubernetes.io/last-change-trigger-time</c> = the
/// moment before its PUT is sent, and the proxy reports, per change, the time from that stamp to
/// the end of the sync that applied it (rules in the kernel included) — what its
/// <c>kpf_proxy_network_programming_duration_seconds</c> observes, but exact rather than bucketed.
/// Then the apiserver is filled to the scale size and the RSS of the real <c>kpf proxy --master</c>
/// (<c>--kpf PATH/kpf.dll</c>) is read with all of them.
/// Must run inside a network namespace (bench/kubeproxy/run.sh makes one): the rules go there.
/// Prints one JSON object.
/// </summary>
internal static class NetworkProgrammingBenchmark
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    // Cluster IPs in the benchmarking range (RFC 2544), apart from the endpoints' 198.18.0.0/16
    // and the changed endpoints' 198.19.0.0/17 (up to 32,000 changes); 32,768 addresses hold the
    // scale run's Services.
    private const string ClusterIpRange = "198.19.128.0/17";

    public static async Task<int> RunAsync(string[] args)
    {
        var services = Args.Int(args, "--services", 1000);
        var endpoints = Args.Int(args, "--endpoints", 5);
        var changes = Args.Int(args, "--changes", 1000);
        var rate = Args.Int(args, "--rate", 50);
        var scale = Args.Int(args, "--scale-services", 10000);
        var runs = (Args.Get(args, "--runs") ?? "kernel:0,userspace:0,kernel:1000").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var dataDir = Directory.CreateTempSubdirectory("kpf-npbench-").FullName;
        var results = new Dictionary<string, object>
        {
            ["services"] = services, ["endpoints_per_service"] = endpoints, ["changes"] = changes, ["rate_per_s"] = rate,
        };
        try
        {
            using var apiserver = await ApiServerProcess.StartAsync(["--data-dir", dataDir, "--service-cluster-ip-range", ClusterIpRange], CancellationToken.None).ConfigureAwait(false);
            using var client = new KubeClient(apiserver.Url);
            var created = Stopwatch.StartNew();
            await CreateAsync(client, 0, services, endpoints).ConfigureAwait(false);
            results["create_s"] = created.Elapsed.TotalSeconds;
            var rows = new List<Dictionary<string, object>>();
            var round = 0;
            foreach (var run in runs)
            {
                var parts = run.Split(':');
                var row = await MeasureAsync(client, apiserver.Url, parts[0], TimeSpan.FromMilliseconds(int.Parse(parts[1], CultureInfo.InvariantCulture)),
                    services, endpoints, changes, rate, round++).ConfigureAwait(false);
                rows.Add(row);
                Console.Error.WriteLine(JsonSerializer.Serialize(row));
            }

            results["runs"] = rows;
            if (scale > services)
            {
                await CreateAsync(client, services, scale, endpoints).ConfigureAwait(false);
                var scaleRows = new List<Dictionary<string, object>>();
                foreach (var kpf in (Args.Get(args, "--kpf") ?? throw new ArgumentException("--kpf PATH/kpf.dll[,PATH/kpf]")).Split(','))
                {
                    scaleRows.Add(await ScaleAsync(apiserver.Url, scale, kpf).ConfigureAwait(false));
                }

                results["scale"] = scaleRows;
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }

        Console.WriteLine(JsonSerializer.Serialize(results));
        return 0;
    }

    /// <summary>Services <c>svc-from</c>..<c>svc-(to-1)</c> with their Endpoints, 32 requests in flight.</summary>
    private static async Task CreateAsync(KubeClient client, int from, int to, int endpoints)
    {
        using var slots = new SemaphoreSlim(32);
        var tasks = new List<Task>();
        for (var i = from; i < to; i++)
        {
            await slots.WaitAsync().ConfigureAwait(false);
            var n = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await client.CreateAsync(Service(n)).ConfigureAwait(false);
                    await client.CreateAsync(EndpointsOf(n, endpoints, null)).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            }));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, object>> MeasureAsync(
        KubeClient client, Uri master, string mode, TimeSpan minSyncPeriod, int services, int endpoints, int changes, int rate, int round)
    {
        using var proxy = await ProxyHostProcess.StartAsync(master, mode, minSyncPeriod, ReadyTimeout).ConfigureAwait(false);
        var before = proxy.Memory();
        var cpu = proxy.CpuTime();
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var writes = new List<Task>(changes);
        for (var i = 0; i < changes; i++)
        {
            var wait = (interval * i) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }

            // Each round moves every changed service's first endpoint to an address it never had.
            var update = EndpointsOf(i % services, endpoints, (round * changes) + i);
            update.Metadata.Annotations = new()
            {
                ["endpoints.kubernetes.io/last-change-trigger-time"] =
                    DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            };
            writes.Add(client.UpdateAsync(update));
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
        var writing = clock.Elapsed;
        var latencies = new List<long>(changes);
        while (latencies.Count < changes && await proxy.NextAppliedAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false) is { } latency)
        {
            latencies.Add(latency.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
        }

        var used = proxy.CpuTime() - cpu;
        var elapsed = clock.Elapsed;
        var row = new Dictionary<string, object>
        {
            ["mode"] = mode,
            ["min_sync_period_ms"] = minSyncPeriod.TotalMilliseconds,
            ["service_ports"] = proxy.ServicePorts,
            ["write_s"] = writing.TotalSeconds,
            ["latency"] = Stats.Summary([.. latencies]),
            ["proxy_cpu_s"] = used.TotalSeconds,
            ["proxy_cpu_share"] = used / elapsed,
            ["proxy_cpu_us_per_change"] = used.TotalMicroseconds / Math.Max(1, latencies.Count),
            ["memory_before"] = before,
            ["memory_after"] = proxy.Memory(),
        };
        return row;
    }

    /// <summary>
    /// The RSS of the real <c>kpf proxy --master URL --proxy-mode kernel</c> (<paramref name="kpf"/>:
    /// a <c>kpf.dll</c> run under dotnet, or the Native AOT executable) holding
    /// <paramref name="services"/> Services: ready when it logs that it serves them.
    /// </summary>
    private static async Task<Dictionary<string, object>> ScaleAsync(Uri master, int services, string kpf)
    {
        var jit = kpf.EndsWith(".dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo(jit ? "dotnet" : kpf) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])[.. jit ? [kpf] : Array.Empty<string>(), "proxy", "--master", master.ToString(), "--proxy-mode", "kernel", "--metrics-bind-address", ""])
        {
            info.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        try
        {
            _ = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(ReadyTimeout);
            string? line;
            // "… serving 10000 service ports from http://… in kernel mode; following its changes"
            while ((line = await process.StandardError.ReadLineAsync(timeout.Token).ConfigureAwait(false)) is not null && !line.Contains(" service ports from ", StringComparison.Ordinal))
            {
            }

            var ready = clock.Elapsed;
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var atReady = ProcessStats.Memory(process.Id);
            // Settled: what the proxy keeps while it serves them.
            await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return new Dictionary<string, object>
            {
                ["services"] = services,
                ["build"] = jit ? "JIT (kpf.dll under dotnet)" : "Native AOT (scripts/publish-aot.sh)",
                ["ready_line"] = line ?? "",
                ["mode"] = "kernel",
                ["first_sync_s"] = ready.TotalSeconds,
                ["memory_at_ready"] = atReady,
                ["memory_settled"] = ProcessStats.Memory(process.Id),
            };
        }
        finally
        {
            // SIGTERM: a graceful stop, in which kpf deletes its rules.
            await ChildProcess.TerminateAsync(process, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        }
    }

    private static Service Service(int i) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new ObjectMeta { Name = Name(i), Namespace = "default" },
        Spec = new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = IntOrString.FromInt(8080) }] },
    };

    /// <summary>The Endpoints of service <paramref name="i"/>: 5 pod addresses, the first moved to a fresh one for change <paramref name="change"/>.</summary>
    private static Endpoints EndpointsOf(int i, int count, int? change) => new()
    {
        ApiVersion = "v1",
        Kind = "Endpoints",
        Metadata = new ObjectMeta { Name = Name(i), Namespace = "default" },
        Subsets =
        [
            new EndpointSubset
            {
                Addresses = [.. Enumerable.Range(0, count).Select(k => new EndpointAddress
                {
                    Ip = k == 0 && change is { } c ? Address(198, 19, c) : Address(198, 18, (i * count) + k),
                })],
                Ports = [new EndpointPort { Name = "http", Port = 8080 }],
            },
        ],
    };

    private static string Address(int a, int b, int n) => string.Create(CultureInfo.InvariantCulture, $"{a}.{b + (n / 62500)}.{(n / 250) % 250}.{(n % 250) + 1}");

    private static string Name(int i) => string.Create(CultureInfo.InvariantCulture, $"svc-{i}");
}
