using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Running;
using KubeProxyFast.Bench.ControlPlane;
using KubeProxyFast.Bench.KubeProxy;
using KubeProxyFast.Bench.Netfilter;
using KubeProxyFast.Bench.Scheduler;

// Macro benchmarks that time a whole operation once, driven by scripts in bench/.
if (args is ["netfilter-sync", ..])
{
    return SyncMacroBenchmark.Run(args[1..]);
}

if (args is ["apiserver-tls", ..])
{
    return await TlsMacroBenchmark.RunAsync(args[1..]);
}

if (args is ["apiserver", ..])
{
    return await ApiServerMacroBenchmark.RunAsync(args[1..]);
}

if (args is ["apiserver-protobuf", ..])
{
    return await ProtobufMacroBenchmark.RunAsync(args[1..]);
}

if (args is ["scheduler", ..])
{
    return await SchedulerMacroBenchmark.RunAsync(args[1..]);
}

if (args is ["kube-proxy-programming", ..])
{
    return await NetworkProgrammingBenchmark.RunAsync(args[1..]);
}

if (args is ["kubelet-startup", ..])
{
    return await KubeProxyFast.Bench.Kubelet.PodStartupBenchmark.RunAsync(args[1..]);
}

if (args is ["proxy-host", ..])
{
    return await ProxyHostCommand.RunAsync(args[1..]);
}

if (args is ["apiserver-host", ..])
{
    return await ApiServerHostCommand.RunAsync(args[1..]);
}

// Results (markdown tables) land in bench/results/<benchmark class>-report-github.md so that
// they can be committed and quoted in issue notes.
var results = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../results/micro"));
var config = ManualConfig.Create(DefaultConfig.Instance)
    .WithArtifactsPath(results)
    .AddExporter(MarkdownExporter.GitHub);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
