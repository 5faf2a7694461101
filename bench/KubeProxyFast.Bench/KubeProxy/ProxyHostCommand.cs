using System.Globalization;
using KubeProxyFast.Bench.ControlPlane;
using KubeProxyFast.KubeProxy.Agent;
using KubeProxyFast.KubeProxy.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Bench.KubeProxy;

/// <summary>
/// <c>proxy-host --master URL --mode kernel|userspace|direct [--min-sync-period-ms N]</c>: the
/// proxy of <c>kpf proxy --master URL</c> (the same <see cref="ProxyAgent"/>) alone in this
/// process, so the benchmark reads its CPU and RSS apart from the writer's. Prints
/// <c>ready N</c> once the first sync is applied, then <c>applied MICROSECONDS</c> for each change
/// a sync applies (from its trigger time or its receipt, as the network programming histogram
/// counts it), and runs until its stdin closes.
/// </summary>
internal static class ProxyHostCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var master = new Uri(Args.Get(args, "--master") ?? throw new ArgumentException("--master URL"));
        var mode = Args.Get(args, "--mode") switch
        {
            "kernel" => ProxyMode.Kernel,
            "userspace" => ProxyMode.Userspace,
            "direct" => ProxyMode.Direct,
            var other => throw new ArgumentException($"--mode {other}: kernel, userspace or direct"),
        };
        var options = new ProxyAgentOptions
        {
            Master = master,
            Mode = mode,
            MetricsBindAddress = null,
            Sync = new ProxyPipelineOptions { MinSyncPeriod = TimeSpan.FromMilliseconds(Args.Int(args, "--min-sync-period-ms", 1000)) },
        };
        await using var agent = await ProxyAgent.StartAsync(options, NullLoggerFactory.Instance).ConfigureAwait(false);
        var output = TextWriter.Synchronized(Console.Out);
        agent.Pipeline.Metrics.ChangeApplied = latency =>
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"applied {(long)latency.TotalMicroseconds}"));
            output.Flush();
        };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready {agent.Source.Serving.Ports.Length}"));
        output.Flush();
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is not null)
        {
        }

        return 0;
    }
}
