using System.Globalization;
using System.Net.Http.Headers;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>The small, realistic pod every create of the benchmark posts.</summary>
internal static class PodJson
{
    public const string PodsPath = "/api/v1/namespaces/default/pods";

    /// <summary>Where the warm-up pods go, so that the default namespace holds exactly the measured ones.</summary>
    public const string WarmupNamespace = "bench-warmup";

    public static string PodsIn(string ns) => $"/api/v1/namespaces/{ns}/pods";

    public static ByteArrayContent Namespace(string name) =>
        Content($"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{name}\"}}}}");

    /// <summary>The annotation that carries "sequence,Stopwatch timestamp at send" for the watch latency.</summary>
    public const string ProbeAnnotation = "bench.kpf/probe";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static ByteArrayContent Create(string name, string? probe = null)
    {
        var annotations = probe is null ? "" : $",\"annotations\":{{\"{ProbeAnnotation}\":\"{probe}\"}}";
        var json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{{\"name\":\"{name}\",\"labels\":{{\"app\":\"bench\"}}{annotations}}},\"spec\":{{\"containers\":[{{\"name\":\"c\",\"image\":\"nginx:1.25\",\"ports\":[{{\"containerPort\":80}}]}}]}}}}");
        return Content(json);
    }

    private static ByteArrayContent Content(string json)
    {
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = Json;
        return content;
    }
}
