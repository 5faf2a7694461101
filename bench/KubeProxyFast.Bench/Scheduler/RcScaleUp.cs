using System.Diagnostics;
using System.Globalization;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// A ReplicationController scaled from 0 to N with <c>kpf controller-manager</c> and
/// <c>kpf scheduler</c> beside the server: seconds from the scale's PATCH until all N pods exist
/// and until all are bound, seen through a watch on the apiserver.
/// </summary>
internal static class RcScaleUp
{
    private const string Namespace = "rc";
    private const string Name = "scale";

    public static async Task<Dictionary<string, object>> RunAsync(string kpf, string store, int nodes, int replicas, int creators, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var cluster = await PerfCluster.StartAsync(kpf, store, creators, cancellationToken).ConfigureAwait(false);
        await cluster.CreateNamespaceAsync(Namespace, cancellationToken).ConfigureAwait(false);
        var scheduler = cluster.StartRole("scheduler", SchedulerFlags.Status);
        var controllers = cluster.StartRole("controller-manager", [.. SchedulerFlags.Status, .. SchedulerFlags.QuietNodes]);
        var nodeSeconds = await Creators.RunAsync(cluster.Http, "/api/v1/nodes", nodes, creators,
            i => PerfObjects.Node(string.Create(CultureInfo.InvariantCulture, $"node-{i}")), cancellationToken).ConfigureAwait(false);
        SchedulerMacroBenchmark.Progress($"RC on {store}: {nodes} nodes in {nodeSeconds:F1} s");

        await using var watch = await PodWatch.StartAsync(cluster.WatchHttp, Namespace, cancellationToken).ConfigureAwait(false);
        using (var rc = PerfObjects.ReplicationController(Name, 0))
        {
            using var created = await cluster.Http.PostAsync($"/api/v1/namespaces/{Namespace}/replicationcontrollers", rc, cancellationToken).ConfigureAwait(false);
            created.EnsureSuccessStatusCode();
        }

        var cpu = new CpuMeter(new Dictionary<string, int> { ["scheduler"] = scheduler.Pid, ["controller_manager"] = controllers.Pid, ["server"] = cluster.Server.Pid });
        var started = Stopwatch.GetTimestamp();
        using (var scale = PerfObjects.Scale(replicas))
        {
            using var patched = await cluster.Http.PatchAsync($"/api/v1/namespaces/{Namespace}/replicationcontrollers/{Name}", scale, cancellationToken).ConfigureAwait(false);
            patched.EnsureSuccessStatusCode();
        }

        await watch.WaitAsync((seen, _) => seen >= replicas, "RC pods created", timeout, cancellationToken).ConfigureAwait(false);
        var exist = (watch.LastSeen() - started) / (double)Stopwatch.Frequency;
        SchedulerMacroBenchmark.Progress($"RC on {store}: {replicas} pods exist after {exist:F1} s");
        await watch.WaitAsync((_, bound) => bound >= replicas, "RC pods bound", timeout, cancellationToken).ConfigureAwait(false);
        var bound = (watch.BoundTimes().Max() - started) / (double)Stopwatch.Frequency;
        SchedulerMacroBenchmark.Progress($"RC on {store}: all bound after {bound:F1} s");
        var usage = cpu.Stop();
        return new Dictionary<string, object>
        {
            ["store"] = store,
            ["nodes"] = nodes,
            ["replicas"] = replicas,
            ["all_exist_s"] = exist,
            ["all_bound_s"] = bound,
            ["pods_created_per_s"] = replicas / exist,
            ["pods_bound_per_s"] = replicas / bound,
            ["cpu"] = usage,
            ["scheduler_memory"] = scheduler.Memory(),
            ["controller_manager_memory"] = controllers.Memory(),
            ["server_memory"] = cluster.Server.Memory(),
        };
    }
}
