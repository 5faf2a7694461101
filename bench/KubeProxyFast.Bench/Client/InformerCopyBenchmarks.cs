using BenchmarkDotNet.Attributes;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Bench.Client;

/// <summary>
/// What an informer spends per event to give every handler an object of its own: the cache
/// encodes the event's object once (its immutable entry), then each handler's dispatcher decodes
/// its copy from those bytes. Samples: the test suite's Service, Endpoints and Pod.
/// </summary>
[MemoryDiagnoser]
public class InformerCopyBenchmarks
{
    private byte[] _serviceJson = [];
    private byte[] _endpointsJson = [];
    private byte[] _podJson = [];
    private Service _service = new();
    private Endpoints _endpoints = new();
    private Pod _pod = new();

    [GlobalSetup]
    public void Setup()
    {
        _service = Load<Service>("service.json", out _serviceJson);
        _endpoints = Load<Endpoints>("endpoints.json", out _endpointsJson);
        _pod = Load<Pod>("pod.json", out _podJson);
    }

    [Benchmark(Description = "Service: cache entry (encode once per event)")]
    public byte[] ServiceEntry() => KubeJson.SerializeToUtf8Bytes(_service);

    [Benchmark(Description = "Service: a handler's copy (decode)")]
    public Service ServiceCopy() => KubeJson.Deserialize<Service>(_serviceJson);

    [Benchmark(Description = "Endpoints: cache entry (encode once per event)")]
    public byte[] EndpointsEntry() => KubeJson.SerializeToUtf8Bytes(_endpoints);

    [Benchmark(Description = "Endpoints: a handler's copy (decode)")]
    public Endpoints EndpointsCopy() => KubeJson.Deserialize<Endpoints>(_endpointsJson);

    [Benchmark(Description = "Pod: cache entry (encode once per event)")]
    public byte[] PodEntry() => KubeJson.SerializeToUtf8Bytes(_pod);

    [Benchmark(Description = "Pod: a handler's copy (decode)")]
    public Pod PodCopy() => KubeJson.Deserialize<Pod>(_podJson);

    private static T Load<T>(string sample, out byte[] json)
        where T : KubeObject
    {
        var obj = KubeJson.Deserialize<T>(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", sample)));
        // The bytes a cache entry holds: our own encoding of the object, as the informer makes it.
        json = KubeJson.SerializeToUtf8Bytes(obj);
        return obj;
    }
}
