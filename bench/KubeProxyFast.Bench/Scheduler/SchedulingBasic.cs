using System.Diagnostics;
using System.Globalization;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// scheduler_perf's SchedulingBasic through the binaries users run: N nodes, W warm-up pods
/// scheduled and deleted, I pods created and scheduled, then M pods created by several concurrent
/// creators as fast as the apiserver takes them. Throughput is end to end: from the first measured
/// create sent to the last pod seen bound through a watch on the apiserver. The scheduling attempt
/// p99 comes from the scheduler's own histogram. With <c>ceiling</c> a <see cref="RoundRobinBinder"/>
/// stands in for the scheduler: what the apiserver and store sustain with no scheduling work.
/// </summary>
internal static class SchedulingBasic
{
    private const string WarmupNamespace = "warmup";
    private const string InitNamespace = "init";
    private const string MeasuredNamespace = "perf";
    private const string AttemptHistogram = "scheduler_scheduling_attempt_duration_seconds";

    /// <summary>Binds in flight for the ceiling: as many as creators, so binds keep pace with creates.</summary>
    private const int CeilingBindsInFlight = 16;

    public static async Task<Dictionary<string, object>> RunAsync(
        string kpf, string store, int nodes, int warmupPods, int initPods, int pods, int creators, bool ceiling, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var cluster = await PerfCluster.StartAsync(kpf, store, creators, cancellationToken).ConfigureAwait(false);
        var name = $"{store}, {nodes} nodes{(ceiling ? ", ceiling" : "")}";
        SchedulerMacroBenchmark.Progress($"{name}: server pid {cluster.Server.Pid} at {cluster.Url}");
        foreach (var ns in new[] { WarmupNamespace, InitNamespace, MeasuredNamespace })
        {
            await cluster.CreateNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
        }

        var scheduler = ceiling ? null : cluster.StartRole("scheduler", SchedulerFlags.Status);
        await using var binder = ceiling
            ? new RoundRobinBinder(cluster.WatchHttp, cluster.Http, [WarmupNamespace, InitNamespace, MeasuredNamespace], nodes, CeilingBindsInFlight)
            : null;
        using var metricsHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (scheduler is not null)
        {
            metricsHttp.BaseAddress = await SchedulerFlags.StatusUrlAsync(scheduler, cancellationToken).ConfigureAwait(false);
        }

        var nodeSeconds = await Creators.RunAsync(cluster.Http, "/api/v1/nodes", nodes, creators,
            i => PerfObjects.Node(string.Create(CultureInfo.InvariantCulture, $"node-{i}")), cancellationToken).ConfigureAwait(false);
        SchedulerMacroBenchmark.Progress($"{nodes} nodes in {nodeSeconds:F1} s");

        // Fresh processes still compile: after 1,000 pods the tiered JIT took 30% of the apiserver's
        // samples (perf, etcd run) and libclrjit 18%. Pods scheduled and deleted first make the
        // measurement steady state, as for a server that has been running.
        if (warmupPods > 0)
        {
            await WarmUpAsync(cluster, warmupPods, creators, timeout, cancellationToken).ConfigureAwait(false);
        }

        await using (var init = await PodWatch.StartAsync(cluster.WatchHttp, InitNamespace, cancellationToken).ConfigureAwait(false))
        {
            var initSeconds = await Creators.RunAsync(cluster.Http, PerfObjects.PodsPath(InitNamespace), initPods, creators,
                i => PerfObjects.Pod(string.Create(CultureInfo.InvariantCulture, $"init-{i}")), cancellationToken).ConfigureAwait(false);
            await init.WaitAsync((_, bound) => bound >= initPods, "initial pods bound", timeout, cancellationToken).ConfigureAwait(false);
            SchedulerMacroBenchmark.Progress($"{initPods} initial pods created in {initSeconds:F1} s, all bound");
        }

        scheduler?.EnsureRunning();
        var before = scheduler is null ? null : await ScrapeAsync(metricsHttp, cancellationToken).ConfigureAwait(false);
        var pids = new Dictionary<string, int> { ["server"] = cluster.Server.Pid };
        if (scheduler is not null)
        {
            pids["scheduler"] = scheduler.Pid;
        }

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
        SchedulerMacroBenchmark.Progress($"{name}: {pods / seconds:F0} pods/s");

        var result = new Dictionary<string, object>
        {
            ["store"] = store,
            ["nodes"] = nodes,
            ["ceiling"] = ceiling,
            ["warmup_pods"] = warmupPods,
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
            ["server_cpu_us_per_pod"] = (double)usage["server_cpu_s"] * 1e6 / pods,
            ["server_memory"] = cluster.Server.Memory(),
        };
        if (scheduler is not null)
        {
            var after = await ScrapeAsync(metricsHttp, cancellationToken).ConfigureAwait(false);
            result["scheduler_cpu_us_per_pod"] = (double)usage["scheduler_cpu_s"] * 1e6 / pods;
            result["scheduler_memory"] = scheduler.Memory();
            foreach (var (key, value) in Attempts(before!, after))
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>Creates <paramref name="count"/> pods, waits until they are all bound, then deletes them (grace 0, one deletecollection).</summary>
    private static async Task WarmUpAsync(PerfCluster cluster, int count, int creators, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using (var warm = await PodWatch.StartAsync(cluster.WatchHttp, WarmupNamespace, cancellationToken).ConfigureAwait(false))
        {
            await Creators.RunAsync(cluster.Http, PerfObjects.PodsPath(WarmupNamespace), count, creators,
                i => PerfObjects.Pod(string.Create(CultureInfo.InvariantCulture, $"warm-{i}")), cancellationToken).ConfigureAwait(false);
            await warm.WaitAsync((_, bound) => bound >= count, "warm-up pods bound", timeout, cancellationToken).ConfigureAwait(false);
        }

        using (var deleted = await cluster.Http.DeleteAsync(PerfObjects.PodsPath(WarmupNamespace) + "?gracePeriodSeconds=0", cancellationToken).ConfigureAwait(false))
        {
            deleted.EnsureSuccessStatusCode();
        }

        using var list = await cluster.Http.GetAsync(PerfObjects.PodsPath(WarmupNamespace) + "?limit=1", cancellationToken).ConfigureAwait(false);
        var left = await list.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (left.Contains("\"name\":\"warm-", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("warm-up pods left after their deletecollection: " + left[..Math.Min(300, left.Length)]);
        }

        SchedulerMacroBenchmark.Progress($"warm-up: {count} pods scheduled and deleted");
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
