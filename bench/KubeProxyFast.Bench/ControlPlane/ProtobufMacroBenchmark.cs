using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Gen = KubeProxyFast.Api.Protobuf;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// <c>apiserver-protobuf [--creates N] [--concurrency C] [--list-runs K] [--warmup W]</c>: one
/// apiserver (a child process, the embedded store), pod creates in JSON then in protobuf (the
/// body client-go's typed clients send), then LISTs of the resulting pods in JSON and protobuf,
/// with the apiserver's CPU per request from /proc. Prints a markdown report; bench/apiserver-protobuf/run.sh saves it.
/// </summary>
internal static class ProtobufMacroBenchmark
{
    private const string Protobuf = "application/vnd.kubernetes.protobuf";

    public static async Task<int> RunAsync(string[] args)
    {
        var creates = Args.Int(args, "--creates", 5_000);
        var warmup = Args.Int(args, "--warmup", 3_000);
        var concurrency = Args.Int(args, "--concurrency", 32);
        var listRuns = Args.Int(args, "--list-runs", 7);
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        var dataDirectory = Directory.CreateTempSubdirectory("kpf-protobuf-").FullName;
        try
        {
            using var apiserver = await ApiServerProcess.StartAsync(["--data-dir", dataDirectory], stop.Token).ConfigureAwait(false);
            Console.Error.WriteLine($"apiserver pid {apiserver.Pid} at {apiserver.Url}");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = apiserver.Url, Timeout = TimeSpan.FromMinutes(5) };
            (await http.PostAsync("/api/v1/namespaces", PodJson.Namespace(PodJson.WarmupNamespace), stop.Token).ConfigureAwait(false)).EnsureSuccessStatusCode();

            var warm = PodJson.PodsIn(PodJson.WarmupNamespace);
            await PodCreates.RunAsync(http, warm, concurrency, warmup, stop.Token).ConfigureAwait(false);
            await PodCreates.RunAsync(http, warm, concurrency, warmup, stop.Token, name => ProtobufPod("w" + name)).ConfigureAwait(false);

            var json = await Measure(apiserver, creates, () => PodCreates.RunAsync(http, PodJson.PodsPath, concurrency, creates, stop.Token)).ConfigureAwait(false);
            var proto = await Measure(apiserver, creates,
                () => PodCreates.RunAsync(http, PodJson.PodsPath, concurrency, creates, stop.Token, name => ProtobufPod("pb-" + name))).ConfigureAwait(false);
            Console.Error.WriteLine($"creates: JSON {json["per_s"]:F0}/s, protobuf {proto["per_s"]:F0}/s");

            var listJson = await MeasureList(apiserver, listRuns, () => ListTimes.RunAsync(http, "application/json", 0, listRuns, stop.Token)).ConfigureAwait(false);
            // One response each: ListTimes follows continue tokens by reading JSON, which a protobuf page is not.
            var listProto = await MeasureList(apiserver, listRuns, () => ListTimes.RunAsync(http, Protobuf, 0, listRuns, stop.Token)).ConfigureAwait(false);

            Console.WriteLine(Report(args, creates * 2, concurrency, json, proto, listJson, listProto));
            return 0;
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>The pod of <see cref="PodJson.Create"/>, as client-go's typed client sends it: generated message, <c>k8s\0</c> envelope.</summary>
    private static ByteArrayContent ProtobufPod(string name)
    {
        var pod = new Gen.Core.Pod
        {
            Metadata = new Gen.Meta.ObjectMeta { Name = name, Labels = { ["app"] = "bench" } },
            Spec = new Gen.Core.PodSpec
            {
                Containers = { new Gen.Core.Container { Name = "c", Image = "nginx:1.25", Ports = { new Gen.Core.ContainerPort { ContainerPort_ = 80 } } } },
            },
        };
        var unknown = new Gen.Runtime.Unknown { TypeMeta = new Gen.Runtime.TypeMeta { ApiVersion = "v1", Kind = "Pod" }, Raw = pod.ToByteString() };
        var content = new ByteArrayContent([.. "k8s\0"u8, .. unknown.ToByteArray()]);
        content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        return content;
    }

    private static async Task<Dictionary<string, object>> Measure(ApiServerProcess apiserver, int count, Func<Task<Dictionary<string, object>>> run)
    {
        var cpu = apiserver.CpuTime();
        var result = await run().ConfigureAwait(false);
        result["cpu_us"] = (apiserver.CpuTime() - cpu).TotalMicroseconds / count;
        return result;
    }

    private static async Task<Dictionary<string, object>> MeasureList(ApiServerProcess apiserver, int runs, Func<Task<Dictionary<string, object>>> run)
    {
        var cpu = apiserver.CpuTime();
        var result = await run().ConfigureAwait(false);
        // ListTimes makes one warm-up list beside the timed runs.
        result["cpu_ms"] = (apiserver.CpuTime() - cpu).TotalMilliseconds / (runs + 1);
        return result;
    }

    private static string Report(string[] args, int pods, int concurrency, params Dictionary<string, object>[] r)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# apiserver: protobuf against JSON");
        text.AppendLine();
        text.AppendLine(c, $"Produced by `flock /tmp/kpf-build.lock bench/apiserver-protobuf/run.sh {string.Join(' ', args)}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}).");
        text.AppendLine(c, $"One `kpf server` child process on the embedded store; pods as in bench/apiserver (one container, a port, a label); {concurrency} requests in flight.");
        text.AppendLine("Protobuf bodies are built by the Grpc.Tools classes and enveloped as client-go does (`k8s\\0` + runtime.Unknown);");
        text.AppendLine("protobuf LISTs are asked for with `Accept: application/vnd.kubernetes.protobuf`.");
        text.AppendLine("CPU is the apiserver process's user+system time (/proc/<pid>/stat) over the phase, divided by the requests.");
        text.AppendLine();
        text.AppendLine("| creates | per s | p50 ms | p99 ms | apiserver CPU µs / create |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (name, row) in new[] { ("JSON", r[0]), ("protobuf", r[1]) })
        {
            text.AppendLine(c, $"| {name} ({row["count"]}) | {row["per_s"]:F0} | {Get(row, "p50_ms"):F2} | {Get(row, "p99_ms"):F2} | {row["cpu_us"]:F0} |");
        }

        text.AppendLine();
        text.AppendLine(c, $"| LIST of {pods} pods | median ms | min ms | bytes | pages | apiserver CPU ms / LIST |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, row) in new[] { ("JSON", r[2]), ("protobuf", r[3]) })
        {
            var line = row.TryGetValue("error", out var error)
                ? $"| {name} | {error} | | | | |"
                : string.Create(c, $"| {name} | {row["median_ms"]:F1} | {row["min_ms"]:F1} | {row["bytes"]} | {row["pages"]} | {row["cpu_ms"]:F1} |");
            text.AppendLine(line);
        }

        return text.ToString();
    }

    private static double Get(Dictionary<string, object> row, string key) => row.TryGetValue(key, out var value) ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : double.NaN;
}
