using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Bench.Api;

/// <summary>
/// Encoding with Go's escaping (<see cref="GoJsonEncoder"/>, what the apiserver writes) against
/// System.Text.Json's default encoder (what it wrote before), same model, same objects: the test
/// sample Pod (ASCII), and that Pod with annotations of HTML-ish and non-ASCII text, where the
/// escaping does the most work.
/// </summary>
[MemoryDiagnoser]
public class JsonEscapingBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private Pod _pod = new();
    private Pod _textPod = new();
    private JsonTypeInfo<Pod> _default = null!;
    private JsonTypeInfo<Pod> _go = null!;

    [GlobalSetup]
    public void Setup()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "pod.json"));
        _pod = KubeJson.Deserialize<Pod>(bytes);
        _textPod = KubeJson.Deserialize<Pod>(bytes);
        _textPod.Metadata.Annotations = new()
        {
            ["description"] = "Serves <b>orders</b> & payments for the \"shop\" front end, see https://example.com/?a=1&b=2",
            ["owner"] = "équipe-paiements — Zürich / 東京",
            ["kubectl.kubernetes.io/last-applied-configuration"] = System.Text.Encoding.UTF8.GetString(bytes),
        };
        _go = KubeJson.TypeInfo<Pod>();
        var defaults = new JsonSerializerOptions(KubeJson.Options) { Encoder = JavaScriptEncoder.Default };
        _default = (JsonTypeInfo<Pod>)defaults.GetTypeInfo(typeof(Pod));
    }

    [Benchmark(Baseline = true, Description = "encode Pod: default escaping")]
    public int PodDefault() => Write(_pod, _default, null);

    [Benchmark(Description = "encode Pod: Go escaping")]
    public int PodGo() => Write(_pod, _go, GoJsonEncoder.Instance);

    [Benchmark(Description = "encode Pod with text annotations: default escaping")]
    public int TextPodDefault() => Write(_textPod, _default, null);

    [Benchmark(Description = "encode Pod with text annotations: Go escaping")]
    public int TextPodGo() => Write(_textPod, _go, GoJsonEncoder.Instance);

    private int Write(Pod pod, JsonTypeInfo<Pod> info, JavaScriptEncoder? encoder)
    {
        _output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_output, new JsonWriterOptions { Encoder = encoder }))
        {
            JsonSerializer.Serialize(writer, pod, info);
        }

        return _output.WrittenCount;
    }
}
