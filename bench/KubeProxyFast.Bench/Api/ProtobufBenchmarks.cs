using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Bench.Api;

/// <summary>
/// A full Pod (the test sample) between its stored JSON and protobuf: the descriptor-driven
/// transcoder both ways, against System.Text.Json through our model (what a JSON response or
/// request costs) and against the classes Grpc.Tools generated (what a protobuf path through
/// generated objects would cost once they exist).
/// </summary>
[MemoryDiagnoser]
public class ProtobufBenchmarks
{
    private readonly ArrayBufferWriter<byte> _json = new(16 * 1024);
    private readonly ProtoOutput _output = new(KubeEnvelope.Gap, 16 * 1024);
    private byte[] _podJson = [];
    private byte[] _podProto = [];
    private Pod _pod = new();
    private KubeProxyFast.Api.Protobuf.Core.Pod _generated = new();
    private ProtoMessage _message = null!;

    [GlobalSetup]
    public void Setup()
    {
        _podJson = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "pod.json"));
        _pod = KubeJson.Deserialize<Pod>(_podJson);
        _message = ProtoKinds.Find("v1", "Pod")!;
        _output.Reset(KubeEnvelope.Gap);
        JsonToProto.Write(_podJson, _message, _output, 12345);
        _podProto = _output.Written.ToArray();
        _generated = KubeProxyFast.Api.Protobuf.Core.Pod.Parser.ParseFrom(_podProto);
    }

    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    [Benchmark(Baseline = true, Description = "stored JSON -> model -> JSON (System.Text.Json)")]
    public int JsonThroughModel()
    {
        var pod = KubeJson.Deserialize<Pod>(_podJson);
        _json.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_json);
        KubeJson.SerializeObject(writer, pod);
        writer.Flush();
        return _json.WrittenCount;
    }

    [Benchmark(Description = "stored JSON -> protobuf, enveloped (transcoder)")]
    public int JsonToProtobuf()
    {
        _output.Reset(KubeEnvelope.Gap);
        JsonToProto.Write(_podJson, _message, _output, 12345);
        KubeEnvelope.Wrap(_output, "v1", "Pod");
        return _output.Length;
    }

    [Benchmark(Description = "protobuf -> JSON (transcoder, a request body)")]
    public int ProtobufToJson()
    {
        _json.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_json);
        ProtoToJson.Write(_podProto, _message, writer, 1 << 22);
        writer.Flush();
        return _json.WrittenCount;
    }

    [Benchmark(Description = "model -> JSON (System.Text.Json encode only)")]
    public int ModelToJson()
    {
        _json.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_json);
        KubeJson.SerializeObject(writer, _pod);
        writer.Flush();
        return _json.WrittenCount;
    }

    [Benchmark(Description = "protobuf -> generated Pod (Google.Protobuf parse)")]
    public KubeProxyFast.Api.Protobuf.Core.Pod GeneratedParse() => KubeProxyFast.Api.Protobuf.Core.Pod.Parser.ParseFrom(_podProto);

    [Benchmark(Description = "generated Pod -> protobuf (Google.Protobuf write)")]
    public byte[] GeneratedWrite() => _generated.ToByteArray();
}
