using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KubeProxyFast.Bench.ControlPlane;
using KubeProxyFast.Testing;
using KubeProxyFast.Testing.Containerd;

namespace KubeProxyFast.Bench.Kubelet;

/// <summary>
/// Pod startup latency as Kubernetes' SLI defines it (pod created → observed Running through a watch,
/// image present) on one node: <c>kpf server</c> + <c>kpf kubelet</c> in a network namespace
/// (<see cref="KubeletNode"/>). A steady rate (each pod deleted once Running, so the node stays
/// below max-pods), bursts, the same bursts through <c>ctr run</c> on the kubelet's own containerd,
/// the latency the kubelet adds (pod bound → RunPodSandbox called, StartContainer returned → Running
/// seen, from containerd's log), and the kubelet's and containerd's RSS and CPU with pods running.
/// Writes a markdown report and an SVG chart.
/// </summary>
internal static partial class PodStartupBenchmark
{
    private const string Ns = "default";

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = Flag(args, "--rate", 5);
        var seconds = Flag(args, "--seconds", 60);
        var burst = Flag(args, "--burst", 30);
        var rounds = Flag(args, "--rounds", 3);
        var steadyPods = Flag(args, "--steady-pods", 30);
        var measureSeconds = Flag(args, "--measure-seconds", 60);
        var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "kubelet-startup";

        await using var node = await KubeletNode.StartAsync(new KubeletNodeOptions { NodeName = "bench", ImageArchives = [TestImages.BusyboxArchive] });
        await using var watch = new PodRunningWatch(node, Ns);
        var created = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTime>();
        var report = new Report();

        await RunPodsAsync(node, watch, created, ["warmup"]);
        await DeleteAsync(node, ["warmup"]);

        for (var round = 1; round <= rounds; round++)
        {
            // Steady: one pod every 1/rate s, each deleted once seen Running.
            var names = Enumerable.Range(0, rate * seconds).Select(i => $"steady{round}-{i}").ToList();
            var start = Stopwatch.GetTimestamp();
            var deletes = new List<Task>();
            var creates = new List<Task>();
            for (var i = 0; i < names.Count; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / rate) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                var name = names[i];
                creates.Add(Task.Run(async () =>
                {
                    await CreateAsync(node, created, name);
                    await watch.WaitAsync([name], TimeSpan.FromMinutes(2));
                    await node.DeleteAsync($"/api/v1/namespaces/{Ns}/pods/{name}", 0);
                }));
            }

            await Task.WhenAll(creates);
            await WaitNoPodsAsync(node);
            report.Add("steady", round, names.Select(n => watch.Running[n] - created[n]));
            report.AddKubelet("steady", round, KubeletAdded(node, watch, created, names));

            // Burst: all at once.
            var burstNames = Enumerable.Range(0, burst).Select(i => $"burst{round}-{i}").ToList();
            await RunPodsAsync(node, watch, created, burstNames);
            report.Add("burst", round, burstNames.Select(n => watch.Running[n] - created[n]));
            report.AddKubelet("burst", round, KubeletAdded(node, watch, created, burstNames));
            await DeleteAsync(node, burstNames);

            // The same burst straight through containerd (ctr run -d), no kubelet, no sandbox.
            report.Add("ctr burst", round, await CtrBurstAsync(node, round, burst));
        }

        // Steady state with pods running: RSS and CPU of the kubelet and of containerd.
        var steady = Enumerable.Range(0, steadyPods).Select(i => $"held-{i}").ToList();
        await RunPodsAsync(node, watch, created, steady);
        await Task.Delay(TimeSpan.FromSeconds(10));
        var kubelet = node.KubeletProcessId ?? throw new InvalidOperationException("the kubelet is not running");
        var containerd = ChildNamed(kubelet, "containerd") ?? throw new InvalidOperationException("no containerd under the kubelet");
        var (k0, c0, t0) = (ProcessStats.CpuTime(kubelet), ProcessStats.CpuTime(containerd), Stopwatch.GetTimestamp());
        await Task.Delay(TimeSpan.FromSeconds(measureSeconds));
        var elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        report.Resources = (steadyPods, elapsed,
            (ProcessStats.CpuTime(kubelet) - k0).TotalSeconds / elapsed, (long)ProcessStats.Memory(kubelet)["vmrss_bytes"],
            (ProcessStats.CpuTime(containerd) - c0).TotalSeconds / elapsed, (long)ProcessStats.Memory(containerd)["vmrss_bytes"]);
        await DeleteAsync(node, steady);

        var command = "bench/kubelet/run.sh " + string.Join(' ', args.TakeWhile(a => a != "--out"));
        await File.WriteAllTextAsync(output + ".md", report.Markdown(rate, seconds, burst, command));
        await File.WriteAllTextAsync(output + ".svg", report.Svg());
        return 0;
    }

    private static async Task CreateAsync(KubeletNode node, System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> created, string name)
    {
        var json = $$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}"},
             "spec":{"nodeName":"{{{node.Name}}}","terminationGracePeriodSeconds":0,"enableServiceLinks":false,
                     "containers":[{"name":"c","image":"{{{TestImages.BusyboxReference}}}","imagePullPolicy":"Never","command":["sleep","3600"]}]}}
            """;
        created[name] = DateTime.UtcNow;
        await node.CreateAsync($"/api/v1/namespaces/{Ns}/pods", json);
    }

    private static async Task RunPodsAsync(KubeletNode node, PodRunningWatch watch, System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> created, IReadOnlyList<string> names)
    {
        await Task.WhenAll(names.Select(n => CreateAsync(node, created, n)));
        await watch.WaitAsync(names, TimeSpan.FromMinutes(3));
    }

    private static async Task DeleteAsync(KubeletNode node, IReadOnlyList<string> names)
    {
        await Task.WhenAll(names.Select(n => node.DeleteAsync($"/api/v1/namespaces/{Ns}/pods/{n}", 0)));
        await WaitNoPodsAsync(node);
    }

    // Force-deleted pods leave the API at once; their containers are stopped by the kubelet after. Wait for
    // containerd to have no running task left, so that the next phase starts on a quiet node.
    private static async Task WaitNoPodsAsync(KubeletNode node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var tasks = Ctr(node, "-n", "k8s.io", "tasks", "ls", "-q").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (tasks.Length == 0)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("containers still running 3 minutes after their pods were deleted");
    }

    private static async Task<IEnumerable<TimeSpan>> CtrBurstAsync(KubeletNode node, int round, int burst)
    {
        if (round == 1)
        {
            Ctr(node, "-n", "kpf-bench", "images", "import", TestImages.BusyboxArchive);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, burst).Select(i => Task.Run(() =>
        {
            var start = Stopwatch.GetTimestamp();
            Ctr(node, "-n", "kpf-bench", "run", "-d", TestImages.BusyboxReference, $"ctr{round}-{i}", "sleep", "3600");
            return Stopwatch.GetElapsedTime(start);
        })));
        await Task.WhenAll(Enumerable.Range(0, burst).Select(i => Task.Run(() =>
        {
            Ctr(node, "-n", "kpf-bench", "tasks", "kill", "-s", "KILL", $"ctr{round}-{i}");
        })));
        foreach (var i in Enumerable.Range(0, burst))
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var r = ProcessResult.Run("ip", ["netns", "exec", node.Namespace.Name, "ctr", "-a", Socket(node), "-n", "kpf-bench", "tasks", "rm", $"ctr{round}-{i}"]);
                if (r.ExitCode == 0 || r.Stderr.Contains("not found", StringComparison.Ordinal))
                {
                    break;
                }

                Thread.Sleep(100);
            }

            Ctr(node, "-n", "kpf-bench", "containers", "rm", $"ctr{round}-{i}");
        }

        return results;
    }

    private static string Socket(KubeletNode node) => Path.Combine(node.DataDirectory, "agent", "containerd", "containerd.sock");

    private static string Ctr(KubeletNode node, params string[] args)
    {
        var r = ProcessResult.Run("ip", ["netns", "exec", node.Namespace.Name, "ctr", "-a", Socket(node), .. args]);
        return r.ExitCode == 0 ? r.Stdout : throw new InvalidOperationException($"ctr {string.Join(' ', args)}: {r.Stderr}");
    }

    // Per pod: (bound → RunPodSandbox called) + (StartContainer returned → Running seen), from containerd's log.
    private static List<TimeSpan> KubeletAdded(KubeletNode node, PodRunningWatch watch, System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> created, IReadOnlyList<string> names)
    {
        var sandboxCalled = new Dictionary<string, DateTime>();
        var containerStarted = new Dictionary<string, DateTime>();
        var log = Path.Combine(node.DataDirectory, "agent", "containerd", "containerd.log");
        using (var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
        {
            while (reader.ReadLine() is { } line)
            {
                if (SandboxLine().Match(line) is { Success: true } s)
                {
                    sandboxCalled.TryAdd(s.Groups[2].Value, Time(s.Groups[1].Value));
                }
                else if (StartedLine().Match(line) is { Success: true } c && watch.Containers.TryGetValue(c.Groups[2].Value, out var pod))
                {
                    containerStarted.TryAdd(pod, Time(c.Groups[1].Value));
                }
            }
        }

        return [.. names.Where(n => sandboxCalled.ContainsKey(n) && containerStarted.ContainsKey(n))
            .Select(n => (sandboxCalled[n] - created[n]) + (watch.Running[n] - containerStarted[n]))];
    }

    private static DateTime Time(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static int? ChildNamed(int parent, string comm)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
                var ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (ppid == parent && name == comm)
                {
                    return int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or FormatException or ArgumentOutOfRangeException)
            {
            }
        }

        return null;
    }

    private static int Flag(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    [GeneratedRegex("""time="([^"]+)".*msg="RunPodSandbox for &PodSandboxMetadata\{Name:([^,]+),""")]
    private static partial Regex SandboxLine();

    [GeneratedRegex("""time="([^"]+)".*msg="StartContainer for \\"([0-9a-f]+)\\" returns successfully""")]
    private static partial Regex StartedLine();

    private sealed class Report
    {
        private readonly List<(string Phase, int Round, double[] Ms)> _rows = [];
        private readonly List<(string Phase, int Round, double[] Ms)> _kubelet = [];

        public (int Pods, double Seconds, double KubeletCores, long KubeletRss, double ContainerdCores, long ContainerdRss) Resources { get; set; }

        public void Add(string phase, int round, IEnumerable<TimeSpan> latencies) => _rows.Add((phase, round, [.. latencies.Select(l => l.TotalMilliseconds).Order()]));

        public void AddKubelet(string phase, int round, IEnumerable<TimeSpan> latencies) => _kubelet.Add((phase, round, [.. latencies.Select(l => l.TotalMilliseconds).Order()]));

        public string Markdown(int rate, int seconds, int burst, string command)
        {
            var b = new StringBuilder();
            b.AppendLine(CultureInfo.InvariantCulture, $"# Kubelet pod startup — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"`{command}` on {Environment.ProcessorCount} cores, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}. One node: `kpf server` + `kpf kubelet` (embedded containerd) in a network namespace; pods bound by `spec.nodeName`, busybox image already imported, one container `sleep 3600`.");
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"Startup latency = pod created (before the POST) → first seen `Running` through a watch. Steady: {rate} pods/s for {seconds} s, each deleted once Running. Burst: {burst} at once. ctr burst: {burst} × `ctr run -d` at once on the kubelet's containerd (no sandbox, no CNI).");
            b.AppendLine();
            b.AppendLine("| phase | round | pods | p50 ms | p99 ms | max ms |");
            b.AppendLine("|---|---|---|---|---|---|");
            foreach (var (phase, round, ms) in _rows)
            {
                b.AppendLine(CultureInfo.InvariantCulture, $"| {phase} | {round} | {ms.Length} | {P(ms, 50):0} | {P(ms, 99):0} | {ms.LastOrDefault():0} |");
            }

            b.AppendLine();
            b.AppendLine("Latency the kubelet adds = (pod created → RunPodSandbox called) + (StartContainer returned → Running seen), times of the CRI calls from containerd's log:");
            b.AppendLine();
            b.AppendLine("| phase | round | pods | p50 ms | p99 ms | max ms |");
            b.AppendLine("|---|---|---|---|---|---|");
            foreach (var (phase, round, ms) in _kubelet)
            {
                b.AppendLine(CultureInfo.InvariantCulture, $"| {phase} | {round} | {ms.Length} | {P(ms, 50):0} | {P(ms, 99):0} | {ms.LastOrDefault():0} |");
            }

            var r = Resources;
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"With {r.Pods} pods running, over {r.Seconds:0} s: kubelet {r.KubeletCores * 100:0.00}% of a core, RSS {r.KubeletRss / 1048576.0:0.0} MB; containerd {r.ContainerdCores * 100:0.00}% of a core, RSS {r.ContainerdRss / 1048576.0:0.0} MB (shims not counted).");
            return b.ToString();
        }

        public string Svg()
        {
            // p50 and p99 per phase and round, as horizontal bars.
            var rows = _rows.Select(r => ($"{r.Phase} {r.Round}", P(r.Ms, 50), P(r.Ms, 99)))
                .Concat(_kubelet.Select(r => ($"kubelet-added {r.Phase} {r.Round}", P(r.Ms, 50), P(r.Ms, 99)))).ToList();
            var max = Math.Max(1, rows.Max(r => r.Item3));
            var b = new StringBuilder();
            var height = 30 + (rows.Count * 26);
            b.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
            b.AppendLine("<text x=\"10\" y=\"16\">pod startup latency, ms (light: p99, dark: p50)</text>");
            for (var i = 0; i < rows.Count; i++)
            {
                var (label, p50, p99) = rows[i];
                var y = 26 + (i * 26);
                b.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y + 14}\">{label}</text>");
                b.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"190\" y=\"{y}\" width=\"{480 * p99 / max:0.0}\" height=\"18\" fill=\"#9ecae1\"/>");
                b.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"190\" y=\"{y + 4}\" width=\"{480 * p50 / max:0.0}\" height=\"10\" fill=\"#3182bd\"/>");
                b.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{195 + (480 * p99 / max):0}\" y=\"{y + 14}\">{p50:0} / {p99:0}</text>");
            }

            b.AppendLine("</svg>");
            return b.ToString();
        }

        private static double P(double[] sorted, double percentile) =>
            sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
