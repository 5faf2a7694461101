using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using KubeProxyFast.Bench.ControlPlane;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// <c>scheduler --kpf PATH [--stores embedded,etcd] [--nodes 1000,5000] [--warmup-pods 5000] [--init-pods 1000] [--pods 10000]
/// [--creators 16] [--ceiling 1] [--rc-replicas 10000] [--rc-nodes 1000] [--rc-stores embedded] [--timeout-s 600]</c>:
/// scheduler_perf's SchedulingBasic (<see cref="SchedulingBasic"/>) per store and node count, and per
/// store the apiserver's ceiling at the first node count (a binder that does no scheduling; <c>--ceiling 0</c> skips it), then
/// a ReplicationController scaled 0 → N (<see cref="RcScaleUp"/>; <c>--rc-replicas 0</c> skips it).
/// Prints one JSON object; bench/scheduler/run.sh turns it into the report. Progress goes to stderr.
/// </summary>
internal static class SchedulerMacroBenchmark
{
    // A quantile of a histogram with no observations is NaN; the report prints it as n/a.
    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static async Task<int> RunAsync(string[] args)
    {
        var kpf = Args.Get(args, "--kpf") ?? throw new ArgumentException("--kpf PATH/kpf.dll");
        var stores = (Args.Get(args, "--stores") ?? "embedded,etcd").Split(',');
        var nodeCounts = (Args.Get(args, "--nodes") ?? "1000,5000").Split(',').Select(int.Parse).ToArray();
        var warmupPods = Args.Int(args, "--warmup-pods", 5_000);
        var initPods = Args.Int(args, "--init-pods", 1_000);
        var pods = Args.Int(args, "--pods", 10_000);
        var creators = Args.Int(args, "--creators", 16);
        var rcReplicas = Args.Int(args, "--rc-replicas", 10_000);
        var rcNodes = Args.Int(args, "--rc-nodes", 1_000);
        var rcStores = (Args.Get(args, "--rc-stores") ?? "embedded").Split(',');
        var ceilingRuns = Args.Int(args, "--ceiling", 1) != 0;
        var timeout = TimeSpan.FromSeconds(Args.Int(args, "--timeout-s", 600));
        using var stop = new CancellationTokenSource();
        // SIGTERM/SIGINT end the run through the finally blocks, which stop every child and delete their data.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        var runs = new List<Dictionary<string, object>>();
        foreach (var store in stores)
        {
            foreach (var nodes in nodeCounts)
            {
                runs.Add(await SchedulingBasic.RunAsync(kpf, store, nodes, warmupPods, initPods, pods, creators, ceiling: false, timeout, stop.Token).ConfigureAwait(false));
            }

            if (ceilingRuns)
            {
                runs.Add(await SchedulingBasic.RunAsync(kpf, store, nodeCounts[0], warmupPods, initPods, pods, creators, ceiling: true, timeout, stop.Token).ConfigureAwait(false));
            }
        }

        var rc = new List<Dictionary<string, object>>();
        if (rcReplicas > 0)
        {
            foreach (var store in rcStores)
            {
                rc.Add(await RcScaleUp.RunAsync(kpf, store, rcNodes, rcReplicas, creators, timeout, stop.Token).ConfigureAwait(false));
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["runs"] = runs,
            ["rc"] = rc,
            ["kpf"] = kpf,
            ["cores"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
        }, JsonOptions));
        return 0;
    }

    /// <summary>A progress line on stderr.</summary>
    public static void Progress(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
}
