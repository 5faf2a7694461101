using System.Diagnostics;
using System.Globalization;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// scheduler_perf's SchedulingBasic through the binaries users run: N nodes, I pods created and
/// scheduled first (the JIT warms up on them, as the cluster fills), then M pods created by
/// several concurrent creators as fast as the apiserver takes them. Throughput is end to end:
/// from the first measured create sent to the last pod seen bound through a watch on the
/// apiserver. The scheduling attempt p99 comes from the scheduler's own histogram.
/// </summary>
internal static class SchedulingBasic
{
    private const string InitNamespace = "init";
    private const string MeasuredNamespace = "perf";
    private const string AttemptHistogram = "scheduler_scheduling_attempt_duration_seconds";

    public static async Task<Dictionary<string, object>> RunAsync(
        string kpf, string store, int nodes, int initPods, int pods, int creators, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var cluster = await PerfCluster.StartAsync(kpf, store, creators, cancellationToken).ConfigureAwait(false);
        SchedulerMacroBenchmark.Progress($"{store}, {nodes} nodes: server pid {cluster.Server.Pid} at {cluster.Url}");
        await cluster.CreateNamespaceAsync(InitNamespace, cancellationToken).ConfigureAwait(false);
        await cluster.CreateNamespaceAsync(MeasuredNamespace, cancellationToken).ConfigureAwait(false);

        var metricsPort = PerfCluster.FreePort();
        var scheduler = cluster.StartRole("scheduler", SchedulerFlags.Metrics(metricsPort));
        using var metricsHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(30) };

        var nodeSeconds = await Creators.RunAsync(cluster.Http, "/api/v1/nodes", nodes, creators,
            i => PerfObjects.Node(string.Create(CultureInfo.InvariantCulture, $"node-{i}")), cancellationToken).ConfigureAwait(false);
        SchedulerMacroBenchmark.Progress($"{nodes} nodes in {nodeSeconds:F1} s");

        await using (var init = await PodWatch.StartAsync(cluster.WatchHttp, InitNamespace, cancellationToken).ConfigureAwait(false))
        {
            var initSeconds = await Creators.RunAsync(cluster.Http, PerfObjects.PodsPath(InitNamespace), initPods, creators,
                i => PerfObjects.Pod(string.Create(CultureInfo.InvariantCulture, $"init-{i}")), cancellationToken).ConfigureAwait(false);
            await init.WaitAsync((_, bound) => bound >= initPods, "initial pods bound", timeout, cancellationToken).ConfigureAwait(false);
            SchedulerMacroBenchmark.Progress($"{initPods} initial pods created in {initSeconds:F1} s, all bound");
        }

        scheduler.EnsureRunning();
        var before = await ScrapeAsync(metricsHttp, cancellationToken).ConfigureAwait(false);
        var pids = new Dictionary<string, int> { ["scheduler"] = scheduler.Pid, ["server"] = cluster.Server.Pid };
        if (cluster.EtcdPid is { } etcdPid)
        {
            pids["etcd"] = etcdPid;
        }

        await using var watch = await PodWatch.StartAsync(cluster.WatchHttp, MeasuredNamespace, cancellationToken).ConfigureAwait(false);
        var cpu = new CpuMeter(pids);
        var started = Stopwatch.GetTimestamp();
        var createSeconds = await Creators.RunAsync(cluster.Http, PerfObjects.PodsPath(MeasuredNamespace), pods, creators,
            i => PerfObjects.Pod(string.Create(CultureInfo.InvariantCulture, $"pod-{i}")), cancellationToken).ConfigureAwait(false);
        SchedulerMacroBenchmark.Progress($"{pods} pods created in {createSeconds:F1} s ({pods / createSeconds:F0}/s); {watch.Bound} bound so far");
        await watch.WaitAsync((_, bound) => bound >= pods, "measured pods bound", timeout, cancellationToken).ConfigureAwait(false);
        var boundTimes = watch.BoundTimes();
        var seconds = (boundTimes.Max() - started) / (double)Stopwatch.Frequency;
        var usage = cpu.Stop();
        var after = await ScrapeAsync(metricsHttp, cancellationToken).ConfigureAwait(false);
        SchedulerMacroBenchmark.Progress($"{store}, {nodes} nodes: {pods / seconds:F0} pods/s");

        var result = new Dictionary<string, object>
        {
            ["store"] = store,
            ["nodes"] = nodes,
            ["init_pods"] = initPods,
            ["pods"] = pods,
            ["creators"] = creators,
            ["node_create_s"] = nodeSeconds,
            ["create_s"] = createSeconds,
            ["creates_per_s"] = pods / createSeconds,
            ["seconds"] = seconds,
            ["pods_per_s"] = pods / seconds,
            ["per_second"] = PerSecond(boundTimes, started),
            ["cpu"] = usage,
            ["scheduler_cpu_us_per_pod"] = (double)usage["scheduler_cpu_s"] * 1e6 / pods,
            ["scheduler_memory"] = scheduler.Memory(),
            ["server_memory"] = cluster.Server.Memory(),
        };
        foreach (var (key, value) in Attempts(before, after))
        {
            result[key] = value;
        }

        return result;
    }

    /// <summary>Pods bound in each whole second from <paramref name="started"/> (the last, partial second left out), as scheduler_perf samples its throughput.</summary>
    public static int[] PerSecond(long[] boundTimes, long started)
    {
        var last = boundTimes.Max();
        var seconds = (int)((last - started) / Stopwatch.Frequency);
        var counts = new int[Math.Max(0, seconds)];
        foreach (var t in boundTimes)
        {
            var i = (int)((t - started) / Stopwatch.Frequency);
            if (i < counts.Length)
            {
                counts[i]++;
            }
        }

        return counts;
    }

    /// <summary>The attempt histogram's p50/p99 and count between two scrapes (scheduled attempts), and the attempts by result.</summary>
    public static Dictionary<string, object> Attempts(PrometheusText before, PrometheusText after)
    {
        static bool Scheduled(IReadOnlyDictionary<string, string> labels) => !labels.TryGetValue("result", out var r) || r == "scheduled";
        var b = before.Buckets(AttemptHistogram, Scheduled);
        var a = after.Buckets(AttemptHistogram, Scheduled);
        var count = after.Sum(AttemptHistogram + "_count", Scheduled) - before.Sum(AttemptHistogram + "_count", Scheduled);
        var sum = after.Sum(AttemptHistogram + "_sum", Scheduled) - before.Sum(AttemptHistogram + "_sum", Scheduled);
        var results = new Dictionary<string, object>();
        foreach (var result in new[] { "scheduled", "unschedulable", "error" })
        {
            bool Match(IReadOnlyDictionary<string, string> labels) => labels.TryGetValue("result", out var r) && r == result;
            results[result] = after.Sum("scheduler_schedule_attempts_total", Match) - before.Sum("scheduler_schedule_attempts_total", Match);
        }

        return new Dictionary<string, object>
        {
            ["attempt_count"] = count,
            ["attempt_mean_ms"] = count > 0 ? sum / count * 1000 : double.NaN,
            ["attempt_p50_ms"] = PrometheusText.Quantile(0.50, b, a) * 1000,
            ["attempt_p99_ms"] = PrometheusText.Quantile(0.99, b, a) * 1000,
            ["attempt_buckets"] = a.Where(kv => !double.IsPositiveInfinity(kv.Key)).ToDictionary(
                kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value - b.GetValueOrDefault(kv.Key)),
            ["attempts_by_result"] = results,
        };
    }

    public static async Task<PrometheusText> ScrapeAsync(HttpClient metrics, CancellationToken cancellationToken) =>
        PrometheusText.Parse(await metrics.GetStringAsync("/metrics", cancellationToken).ConfigureAwait(false));
}
