using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// The objects of scheduler_perf's SchedulingBasic, as its templates write them: nodes of 4 cpu,
/// 32 Gi and 110 pods, Ready; pods of one pause container requesting (and limited to) 100m cpu and
/// 500 Mi. A node's status goes with its create, where a kubelet would post it.
/// </summary>
internal static class PerfObjects
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static string PodsPath(string ns) => $"/api/v1/namespaces/{ns}/pods";

    public static ByteArrayContent Namespace(string name) =>
        Content($"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{name}\"}}}}");

    public static ByteArrayContent Node(string name) => Content(
        $"{{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{{\"name\":\"{name}\",\"labels\":{{\"kubernetes.io/hostname\":\"{name}\"}}}}," +
        "\"spec\":{},\"status\":{\"capacity\":" + Resources + ",\"allocatable\":" + Resources + "," +
        "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}],\"phase\":\"Running\"}}");

    public static ByteArrayContent Pod(string name) => Content(
        $"{{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{{\"name\":\"{name}\",\"labels\":{{\"app\":\"perf\"}}}},\"spec\":{PodSpec}}}");

    /// <summary>A ReplicationController of <paramref name="replicas"/> whose template is the perf pod.</summary>
    public static ByteArrayContent ReplicationController(string name, int replicas) => Content(string.Create(CultureInfo.InvariantCulture,
        $"{{\"apiVersion\":\"v1\",\"kind\":\"ReplicationController\",\"metadata\":{{\"name\":\"{name}\"}},\"spec\":{{\"replicas\":{replicas}," +
        $"\"selector\":{{\"app\":\"{name}\"}},\"template\":{{\"metadata\":{{\"labels\":{{\"app\":\"{name}\"}}}},\"spec\":{PodSpec}}}}}}}"));

    /// <summary>A merge patch of <c>spec.replicas</c>.</summary>
    public static StringContent Scale(int replicas)
    {
        var content = new StringContent(string.Create(CultureInfo.InvariantCulture, $"{{\"spec\":{{\"replicas\":{replicas}}}}}"), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        return content;
    }

    private const string Resources = "{\"pods\":\"110\",\"cpu\":\"4\",\"memory\":\"32Gi\"}";

    private const string PodSpec =
        "{\"containers\":[{\"name\":\"pause\",\"image\":\"registry.k8s.io/pause:3.10\",\"ports\":[{\"containerPort\":80}]," +
        "\"resources\":{\"limits\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"}}}]}";

    private static ByteArrayContent Content(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = Json;
        return content;
    }
}
