using System.Globalization;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

/// <summary>What the end-to-end tests read of pods, as a user reads <c>kubectl get pod -o json</c>.</summary>
internal static class E2e
{
    /// <summary>Creates the pod; returns the created object.</summary>
    public static Task<JsonObject> CreatePodAsync(this KubeletNode node, PodBuilder pod) => node.CreateAsync(pod.CollectionPath, pod.ToJson());

    /// <summary>Polls the pod until <paramref name="condition"/> holds (2 minutes at most).</summary>
    public static Task<JsonObject> WaitPodAsync(this KubeletNode node, PodBuilder pod, Func<JsonObject, bool> condition, string what, TimeSpan? within = null) =>
        node.WaitForAsync(pod.PodPath, condition, $"pod {pod.Namespace}/{pod.Name}: {what}", within ?? TimeSpan.FromMinutes(2));

    /// <summary>Waits for the pod to be Running with every container running.</summary>
    public static Task<JsonObject> WaitRunningAsync(this KubeletNode node, PodBuilder pod) =>
        node.WaitPodAsync(pod, p => Phase(p) == "Running" && ContainerStatuses(p).All(c => c["state"]?["running"] is not null), "Running");

    public static string? Phase(JsonObject pod) => (string?)pod["status"]?["phase"];

    public static IEnumerable<JsonObject> ContainerStatuses(JsonObject pod) =>
        pod["status"]?["containerStatuses"]?.AsArray().OfType<JsonObject>() ?? [];

    public static JsonObject? ContainerStatus(JsonObject pod, string container) =>
        ContainerStatuses(pod).FirstOrDefault(c => (string?)c["name"] == container);

    public static int RestartCount(JsonObject pod, string container) => (int?)ContainerStatus(pod, container)?["restartCount"] ?? -1;

    public static string? WaitingReason(JsonObject pod, string container) => (string?)ContainerStatus(pod, container)?["state"]?["waiting"]?["reason"];

    public static string? WaitingMessage(JsonObject pod, string container) => (string?)ContainerStatus(pod, container)?["state"]?["waiting"]?["message"];

    public static string? PodIp(JsonObject pod) => (string?)pod["status"]?["podIP"];

    /// <summary>Waits for <paramref name="file"/> in the pod's /out (written as file.tmp then renamed by the scripts) and returns its text.</summary>
    public static async Task<string> ReadOutAsync(this KubeletNode node, PodBuilder pod, string file, TimeSpan? within = null)
    {
        var path = Path.Combine(pod.OutDirectory, file);
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(1));
        while (!File.Exists(path))
        {
            if (DateTime.UtcNow >= deadline)
            {
                var status = await node.TryGetAsync(pod.PodPath);
                throw new TimeoutException($"timed out waiting for {pod.Name}'s /out/{file}\npod: {status?.ToJsonString()}\n{node.Diagnostics()}");
            }

            await Task.Delay(200);
        }

        return await File.ReadAllTextAsync(path);
    }

    /// <summary>Shell: writes stdin of the pipeline into /out/NAME atomically (<c>CMD | put NAME</c>).</summary>
    public const string Put = "put() { cat > /out/$1.tmp && mv /out/$1.tmp /out/$1; }; ";

    /// <summary>The processes on the machine whose command line contains <paramref name="marker"/> (containers' scripts carry one).</summary>
    public static IReadOnlyList<int> ProcessesWith(string marker)
    {
        var found = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    // stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    found[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // Exited meanwhile.
            }
        }

        // A shell forking its next command shows its own command line in the child until the exec:
        // only the outermost process of each match counts.
        return [.. found.Where(p => !found.ContainsKey(p.Value)).Select(p => p.Key)];
    }

    /// <summary>Waits (2 minutes at most) until no process carries <paramref name="marker"/>.</summary>
    public static async Task WaitNoProcessAsync(string marker, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (ProcessesWith(marker).Count > 0)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("timed out waiting for: " + what);
            }

            await Task.Delay(500);
        }
    }

    /// <summary>A unique name for a test's objects.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
}
