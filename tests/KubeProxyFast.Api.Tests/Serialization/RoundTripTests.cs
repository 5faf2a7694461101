using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.Api.Autoscaling;
using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Serialization;

/// <summary>
/// Documents written field for field as Kubernetes serves them must decode into typed fields
/// (nothing falling into UnknownFields but the fields this model deliberately does not type)
/// and encode back to the same JSON. Kubernetes writes zero times as <c>null</c>; we omit them,
/// which clients read the same way, so nulls are dropped before comparing.
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, Type, string[]> Samples => new()
    {
        { "pod.json", typeof(Pod), [] },
        {
            "replicationcontroller.json", typeof(ReplicationController),
            [
                "spec.template.spec.containers[0].terminationMessagePath",
                "spec.template.spec.containers[0].terminationMessagePolicy",
                "spec.template.spec.securityContext",
            ]
        },
        { "service.json", typeof(Service), ["spec.ipFamilies", "spec.ipFamilyPolicy"] },
        { "endpoints.json", typeof(Endpoints), [] },
        { "node.json", typeof(Node), [] },
        { "namespace.json", typeof(Namespace), [] },
        { "binding.json", typeof(Binding), [] },
        { "event.json", typeof(Event), [] },
        { "scale.json", typeof(Scale), [] },
        { "lease.json", typeof(Lease), [] },
        { "status-invalid.json", typeof(Status), [] },
        { "podlist.json", typeof(PodList), [] },
        { "watchevent.json", typeof(WatchEvent), [] },
        { "deleteoptions.json", typeof(DeleteOptions), [] },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Deserialize_KubernetesSample_RoundTripsExactly(string file, Type type, string[] untypedFields)
    {
        var original = File.ReadAllBytes(Path.Combine("Serialization", "Samples", file));

        var decoded = JsonSerializer.Deserialize(original, KubeJson.Options.GetTypeInfo(type))!;
        var encoded = JsonSerializer.SerializeToUtf8Bytes(decoded, KubeJson.Options.GetTypeInfo(type));

        Assert.Equal(untypedFields, UnknownFieldWalker.Find(decoded));
        var expected = WithoutNulls(JsonNode.Parse(original));
        var actual = JsonNode.Parse(encoded);
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"{file} changed in the round trip:\nexpected {expected!.ToJsonString()}\nactual   {actual!.ToJsonString()}");
    }

    [Fact]
    public void Serialize_Pod_WritesKindApiVersionMetadataFirst()
    {
        var pod = KubeKinds.WithTypeMeta(new Pod { Metadata = new() { Name = "a" }, Spec = new() });

        var json = KubeJson.Serialize(pod);

        Assert.StartsWith("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\"}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_EmptyFields_AreOmittedAsKubernetesOmitsThem()
    {
        var service = new Service { Metadata = new() { Name = "web" }, Spec = new() { Ports = [new() { Port = 80 }] } };

        var json = KubeJson.Serialize(service);

        Assert.Equal("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[{\"port\":80}]}}", json);
    }

    [Fact]
    public void Serialize_EmptyList_WritesEmptyItemsArray()
    {
        var json = KubeJson.Serialize(new PodList { Kind = "PodList", ApiVersion = "v1" });

        Assert.Equal("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}", json);
    }

    [Fact]
    public void Deserialize_Sample_TypedFieldsCarryTheValues()
    {
        var service = KubeJson.Deserialize<Service>(File.ReadAllBytes(Path.Combine("Serialization", "Samples", "service.json")));

        var spec = service.Spec!;
        Assert.Equal("198.18.0.10", spec.ClusterIP);
        Assert.Equal(ServiceTypes.NodePort, spec.Type);
        Assert.Equal(IntOrString.FromInt(8080), spec.Ports![0].TargetPort);
        Assert.Equal(IntOrString.FromString("metrics"), spec.Ports[1].TargetPort);
        Assert.Equal(30053, spec.Ports[2].NodePort);
        Assert.Equal(10800, spec.SessionAffinityConfig!.ClientIP!.TimeoutSeconds);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 18, 19, 10, TimeSpan.Zero), service.Metadata.CreationTimestamp);
    }

    [Fact]
    public void Deserialize_TimeWithOffset_IsWrittenBackInUtc()
    {
        var ns = KubeJson.Deserialize<Namespace>("{\"metadata\":{\"name\":\"a\",\"creationTimestamp\":\"2026-11-25T20:00:00+02:00\"}}");

        Assert.Contains("\"creationTimestamp\":\"2026-11-25T18:00:00Z\"", KubeJson.Serialize(ns), StringComparison.Ordinal);
    }

    [Fact]
    public void DeserializeObject_UsesApiVersionAndKind()
    {
        var obj = KubeJson.DeserializeObject(File.ReadAllBytes(Path.Combine("Serialization", "Samples", "scale.json")));

        var scale = Assert.IsType<Scale>(obj);
        Assert.Equal(5, scale.Spec!.Replicas);
        Assert.Equal("app=web", scale.Status!.Selector);
    }

    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is null)
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        WithoutNulls(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    WithoutNulls(item);
                }

                break;
        }

        return node;
    }
}
