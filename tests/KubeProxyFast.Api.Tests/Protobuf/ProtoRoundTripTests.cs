using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Serialization;
using Gen = KubeProxyFast.Api.Protobuf;

namespace KubeProxyFast.Api.Tests.Protobuf;

/// <summary>
/// Every kind's JSON through protobuf and back, with the classes Grpc.Tools generated from the
/// same <c>.proto</c> files as the independent reader: our encoding must parse there with no
/// unknown fields, carry the values (checked on the generated objects), and the generated
/// encoding must come back as the JSON we started from.
/// </summary>
public sealed class ProtoRoundTripTests
{
    public static TheoryData<string, string> Kinds()
    {
        var data = new TheoryData<string, string>();
        foreach (var (apiVersion, kind) in ProtoSamples.ByKind.Keys)
        {
            data.Add(apiVersion, kind);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Write_EveryKind_GeneratedClassesReadItAndItComesBackAsTheSameJson(string apiVersion, string kind)
    {
        var json = ProtoSamples.ByKind[(apiVersion, kind)];
        var message = ProtoKinds.Find(apiVersion, kind)!;

        var encoded = Encode(json, message, resourceVersion: 0, out var dropped);
        var parsed = Descriptor(message).Parser.ParseFrom(encoded);
        var back = Decode(parsed.ToByteArray(), message, apiVersion, kind);

        Assert.Equal(0, dropped);
        AssertNoUnknownFields(parsed, kind);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(back)), $"{kind} came back as\n{back}\ninstead of\n{json}");
    }

    [Fact]
    public void Samples_EveryServedKind_HasOne()
    {
        var missing = KubeKinds.All.Where(k => !ProtoSamples.ByKind.ContainsKey((k.ApiVersion, k.Kind))).Select(k => k.Kind).ToArray();

        Assert.Empty(missing);
    }

    [Fact]
    public void Write_Pod_GeneratedObjectHoldsTheValues()
    {
        var message = ProtoKinds.Find("v1", "Pod")!;

        var pod = Gen.Core.Pod.Parser.ParseFrom(Encode(ProtoSamples.ByKind[("v1", "Pod")], message, resourceVersion: 42, out _));

        Assert.Equal("42", pod.Metadata.ResourceVersion);
        Assert.Equal(1420070400, pod.Metadata.CreationTimestamp.Seconds);
        Assert.False(pod.Metadata.CreationTimestamp.HasNanos);
        Assert.Equal("héllo \"quoted\" <tag>", pod.Metadata.Annotations["note"]);
        Assert.True(pod.Metadata.HasDeletionGracePeriodSeconds);
        Assert.Equal("{\"f:metadata\":{\"f:labels\":{\".\":{}}}}", pod.Metadata.ManagedFields[0].FieldsV1.Raw.ToStringUtf8());
        var container = pod.Spec.Containers[0];
        Assert.Equal(1, container.LivenessProbe.Handler.HttpGet.Port.Type);
        Assert.Equal("http", container.LivenessProbe.Handler.HttpGet.Port.StrVal);
        Assert.Equal(0, container.ReadinessProbe.Handler.TcpSocket.Port.Type);
        Assert.Equal(8080, container.ReadinessProbe.Handler.TcpSocket.Port.IntVal);
        Assert.Equal("500m", container.Resources.Limits["cpu"].String);
        Assert.Equal(["cat", "/tmp/ready"], container.StartupProbe.Handler.Exec.Command);
        Assert.True(pod.Spec.HasTerminationGracePeriodSeconds);
        Assert.Equal(0, pod.Spec.TerminationGracePeriodSeconds);
        Assert.True(pod.Spec.HasAutomountServiceAccountToken);
        Assert.Equal(137, pod.Status.ContainerStatuses[0].LastState.Terminated.ExitCode);
    }

    [Fact]
    public void Write_SecretAndLease_BytesAndMicroTimeAsKubernetesEncodesThem()
    {
        var secret = Gen.Core.Secret.Parser.ParseFrom(Encode(ProtoSamples.ByKind[("v1", "Secret")], ProtoKinds.Find("v1", "Secret")!, 0, out _));
        var lease = Gen.Coordination.Lease.Parser.ParseFrom(
            Encode(ProtoSamples.ByKind[("coordination.k8s.io/v1", "Lease")], ProtoKinds.Find("coordination.k8s.io/v1", "Lease")!, 0, out _));

        Assert.Equal("-----BEGIN"u8.ToArray(), secret.Data["tls.crt"].ToByteArray());
        Assert.Equal(new byte[] { 0 }, secret.Data["zero"].ToByteArray());
        Assert.Equal(123456000, lease.Spec.RenewTime.Nanos);
        Assert.Equal(1420070410, lease.Spec.RenewTime.Seconds);
        Assert.True(lease.Spec.HasLeaseTransitions);
    }

    [Fact]
    public void Write_UnknownJsonFields_LeftOutAndCounted()
    {
        var json = """{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"a","future":1},"spec":{"x":{"deep":[1,2]}},"extra":"y"}""";

        var encoded = Encode(json, ProtoKinds.Find("v1", "Namespace")!, 0, out var dropped);
        var ns = Gen.Core.Namespace.Parser.ParseFrom(encoded);

        Assert.Equal(3, dropped);
        Assert.Equal("a", ns.Metadata.Name);
    }

    [Fact]
    public void Read_ZeroScalarsOfValueFields_LeftOutLikeGosOmitempty()
    {
        var pod = new Gen.Core.Pod
        {
            Metadata = new Gen.Meta.ObjectMeta { Name = "p", GenerateName = "", Generation = 0, CreationTimestamp = new Gen.Meta.Time() },
            Spec = new Gen.Core.PodSpec { HostNetwork = false, TerminationGracePeriodSeconds = 0 },
        };

        var json = Decode(pod.ToByteArray(), ProtoKinds.Find("v1", "Pod")!, "v1", "Pod");

        Assert.Equal("""{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"},"spec":{"terminationGracePeriodSeconds":0}}""", json);
    }

    [Fact]
    public void Read_ZeroIntOrString_LeftOutSoDefaultingFillsIt()
    {
        var port = new Gen.Core.ServicePort { Port = 80, TargetPort = new Gen.IntStr.IntOrString { Type = 0, IntVal = 0 } };
        var service = new Gen.Core.Service { Spec = new Gen.Core.ServiceSpec { Ports = { port } } };

        var json = Decode(service.ToByteArray(), ProtoKinds.Find("v1", "Service")!, "v1", "Service");

        Assert.Equal("""{"kind":"Service","apiVersion":"v1","spec":{"ports":[{"port":80}]}}""", json);
    }

    [Fact]
    public void Read_InterleavedRepeatedAndDuplicateMessage_GroupedAndMerged()
    {
        // finalizers (14) around name (1), and metadata (1) given twice: protobuf merges the two.
        var first = new Gen.Meta.ObjectMeta { Finalizers = { "a" } }.ToByteArray();
        var second = new Gen.Meta.ObjectMeta { Name = "n", Finalizers = { "b" } }.ToByteArray();
        var bytes = new List<byte> { 0x0A, (byte)first.Length };
        bytes.AddRange(first);
        bytes.Add(0x0A);
        bytes.Add((byte)second.Length);
        bytes.AddRange(second);

        var json = Decode([.. bytes], ProtoKinds.Find("v1", "Namespace")!, "v1", "Namespace");

        Assert.Equal("""{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"n","finalizers":["a","b"]}}""", json);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x0A }, "length 5 at byte 1 runs past the end")]
    [InlineData(new byte[] { 0x0A, 0x02, 0x38, 0xFF }, "truncated varint at byte 4")]
    [InlineData(new byte[] { 0x08, 0x01 }, "wrong wire type 0 (varint) for field 1 (metadata) of k8s.io.api.core.v1.Namespace, expected 2 (length-delimited)")]
    [InlineData(new byte[] { 0x0B }, "unsupported wire type 3 (start group) for field 1")]
    [InlineData(new byte[] { 0x00 }, "invalid field number 0")]
    [InlineData(new byte[] { 0x0A, 0x02, 0x0A, 0x01 }, "length 1 at byte 3 runs past the end of its message (0 bytes left)")]
    [InlineData(new byte[] { 0x0A, 0x03, 0x0A, 0x01, 0xC3 }, "field 1 (name) of k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta is not valid UTF-8")]
    public void Read_MalformedBody_NamesWhatIsWrong(byte[] bytes, string expected)
    {
        var e = Assert.Throws<ProtoDecodeException>(() => Decode(bytes, ProtoKinds.Find("v1", "Namespace")!, "v1", "Namespace"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NestingDeeperThan64_Refused()
    {
        // Kubernetes' served types do not nest themselves, so a message that does (built at run time) stands for any deep body.
        var bytes = Array.Empty<byte>();
        for (var i = 0; i < 70; i++)
        {
            bytes = [0x0A, .. Varint(bytes.Length), .. bytes];
        }

        var e = Assert.Throws<ProtoDecodeException>(() => Decode(bytes, NestedMessage(), "v1", "Nested"));

        Assert.Contains("nested deeper than 64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_JsonLargerThanTheBound_Refused()
    {
        var meta = new Gen.Meta.ObjectMeta();
        for (var i = 0; i < 1000; i++)
        {
            meta.Labels.Add("k" + i, "");
        }

        var bytes = new Gen.Core.Namespace { Metadata = meta }.ToByteArray();

        var e = Assert.Throws<ProtoDecodeException>(() => Decode(bytes, ProtoKinds.Find("v1", "Namespace")!, "v1", "Namespace", maxJsonBytes: bytes.Length));

        Assert.Contains($"larger than {bytes.Length} bytes as JSON", e.Message, StringComparison.Ordinal);
    }

    internal static byte[] Encode(string json, ProtoMessage message, long resourceVersion, out int dropped)
    {
        using var output = new ProtoOutput();
        dropped = JsonToProto.Write(System.Text.Encoding.UTF8.GetBytes(json), message, output, resourceVersion);
        return output.Written.ToArray();
    }

    internal static string Decode(byte[] proto, ProtoMessage message, string apiVersion, string kind, long maxJsonBytes = 1 << 20)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            ProtoToJson.Write(proto, message, writer, maxJsonBytes, w =>
            {
                w.WriteString("kind", kind);
                w.WriteString("apiVersion", apiVersion);
            });
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static MessageDescriptor Descriptor(ProtoMessage message) => KubeProtoMessages.Find(message.FullName)!;

    private static byte[] Varint(int value)
    {
        var bytes = new byte[10];
        return bytes[..ProtoWire.WriteVarint(bytes, (ulong)value)];
    }

    /// <summary>A message that holds itself (field 1), compiled at run time from a descriptor of one line.</summary>
    private static ProtoMessage NestedMessage()
    {
        var file = new Google.Protobuf.Reflection.FileDescriptorProto
        {
            Name = "nested_test.proto",
            Package = "test",
            Syntax = "proto2",
            MessageType =
            {
                new DescriptorProto
                {
                    Name = "Nested",
                    Field = { new FieldDescriptorProto { Name = "child", Number = 1, Label = FieldDescriptorProto.Types.Label.Optional, Type = FieldDescriptorProto.Types.Type.Message, TypeName = ".test.Nested" } },
                },
            },
        };
        var built = FileDescriptor.BuildFromByteStrings([file.ToByteString()]);
        return ProtoMessage.For(built[0].MessageTypes[0]);
    }

    /// <summary>Fails when the generated parser kept any field as unknown (a number or wire type it did not expect).</summary>
    private static void AssertNoUnknownFields(IMessage message, string path)
    {
        var unknown = message.GetType().GetField("_unknownFields", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(message);
        Assert.True(unknown is null, $"{path} has fields the generated {message.Descriptor.FullName} does not know");
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            switch (value)
            {
                case IMessage nested:
                    AssertNoUnknownFields(nested, path + "." + field.Name);
                    break;
                case IDictionary map:
                    foreach (var entry in map.Values)
                    {
                        if (entry is IMessage nestedValue)
                        {
                            AssertNoUnknownFields(nestedValue, path + "." + field.Name + "[]");
                        }
                    }

                    break;
                case IList list:
                    foreach (var item in list)
                    {
                        if (item is IMessage nestedItem)
                        {
                            AssertNoUnknownFields(nestedItem, path + "." + field.Name + "[]");
                        }
                    }

                    break;
            }
        }
    }
}
