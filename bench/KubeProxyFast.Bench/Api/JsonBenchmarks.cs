using BenchmarkDotNet.Attributes;
using k8s;
using k8s.Models;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Bench.Api;

/// <summary>
/// Decoding and encoding a full Pod (the test sample: two containers, probes, resources, status)
/// with our source-generated model, against the official Kubernetes C# client's model.
/// </summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private byte[] _podUtf8 = [];
    private string _podText = "";
    private Pod _pod = new();
    private V1Pod _peerPod = new();

    [GlobalSetup]
    public void Setup()
    {
        _podUtf8 = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "pod.json"));
        _podText = System.Text.Encoding.UTF8.GetString(_podUtf8);
        _pod = KubeJson.Deserialize<Pod>(_podUtf8);
        _peerPod = KubernetesJson.Deserialize<V1Pod>(_podText);
    }

    [Benchmark(Baseline = true, Description = "decode Pod: KubernetesClient")]
    public V1Pod DecodePeer() => KubernetesJson.Deserialize<V1Pod>(_podText);

    [Benchmark(Description = "decode Pod: kpf")]
    public Pod Decode() => KubeJson.Deserialize<Pod>(_podUtf8);

    [Benchmark(Description = "encode Pod: KubernetesClient")]
    public string EncodePeer() => KubernetesJson.Serialize(_peerPod);

    [Benchmark(Description = "encode Pod: kpf")]
    public byte[] Encode() => KubeJson.SerializeToUtf8Bytes(_pod);
}
