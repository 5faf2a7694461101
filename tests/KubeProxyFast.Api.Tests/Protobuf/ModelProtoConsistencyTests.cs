using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Protobuf;

/// <summary>
/// Every JSON property of our model has a proto field of exactly its name and a type that carries
/// it, for every kind, its list, and the meta/v1 bodies (Status, DeleteOptions, WatchEvent).
/// </summary>
public sealed class ModelProtoConsistencyTests
{
    private const string MetaPackage = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    private static Google.Protobuf.Reflection.MessageDescriptor Core(string name) => KubeProtoMessages.Find("k8s.io.api.core.v1." + name)!;

    public static TheoryData<string> Kinds() => [.. KubeKinds.All.Select(k => k.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void KindMessage_EveryJsonProperty_HasFieldOfSameNameAndType(string kind)
    {
        var info = KubeKinds.All.Single(k => k.Kind == kind);
        var message = KubeProtoMessages.ForKind(info);

        Assert.NotNull(message);
        Assert.Empty(ModelProtoWalker.Mismatches(info.Type, message));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ListKindMessage_EveryJsonProperty_HasFieldOfSameNameAndType(string kind)
    {
        var info = KubeKinds.All.Single(k => k.Kind == kind);
        if (info.ListType is null)
        {
            Assert.Null(KubeProtoMessages.ForListKind(info));
            return;
        }

        var message = KubeProtoMessages.ForListKind(info);

        Assert.NotNull(message);
        Assert.Empty(ModelProtoWalker.Mismatches(info.ListType, message));
    }

    [Theory]
    [InlineData(typeof(Status), "Status")]
    [InlineData(typeof(DeleteOptions), "DeleteOptions")]
    [InlineData(typeof(WatchEvent), "WatchEvent")]
    [InlineData(typeof(LabelSelector), "LabelSelector")]
    public void MetaMessage_EveryJsonProperty_HasFieldOfSameNameAndType(Type type, string message)
    {
        var descriptor = KubeProtoMessages.Find(MetaPackage + message);

        Assert.NotNull(descriptor);
        Assert.Empty(ModelProtoWalker.Mismatches(type, descriptor));
    }

    [Fact]
    public void Mismatches_FieldMissingOrOfAnotherType_AreReported()
    {
        // The walker itself must fail on a wrong pairing, or the tests above prove nothing:
        // a Service checked against the Node message has spec/status of other shapes.
        var wrong = ModelProtoWalker.Mismatches(typeof(Service), KubeProtoMessages.ForKind(KubeKinds.Node)!);

        Assert.Contains(wrong, m => m.StartsWith("Node.spec.ports: no field named 'ports'", StringComparison.Ordinal));
        Assert.Contains(wrong, m => m.StartsWith("Node.status.loadBalancer: no field named", StringComparison.Ordinal));
    }

    [Fact]
    public void Mismatches_SameNameOfAnotherShape_AreReported()
    {
        // selector is a string in ScaleStatus and a map in ReplicationControllerSpec; an httpGet
        // port is an IntOrString, a ServicePort's port an int32.
        var stringAgainstMap = ModelProtoWalker.Mismatches(typeof(Autoscaling.ScaleStatus), Core("ReplicationControllerSpec"));
        var mapAgainstString = ModelProtoWalker.Mismatches(typeof(ReplicationControllerSpec), KubeProtoMessages.Find("k8s.io.api.autoscaling.v1.ScaleStatus")!);
        var intOrStringAgainstInt = ModelProtoWalker.Mismatches(typeof(HttpGetAction), Core("ServicePort"));

        Assert.Equal(["ReplicationControllerSpec.selector: a single JSON value but field 2 is repeated"], stringAgainstMap);
        Assert.Contains("ScaleStatus.selector: a JSON object of String but field 2 is not a map", mapAgainstString);
        Assert.Contains("ServicePort.port: IntOrString needs k8s.io.apimachinery.pkg.util.intstr.IntOrString but field 3 is Int32", intOrStringAgainstInt);
    }

    [Fact]
    public void FindByJsonName_ProbeExec_ResolvesThroughInlineHandler()
    {
        var probe = Core("Probe");

        var exec = ModelProtoWalker.FindByJsonName(probe, "exec");

        Assert.True(KubeProtoMessages.IsInline(probe.FindFieldByName("handler")));
        Assert.Equal(("k8s.io.api.core.v1.ProbeHandler", 1), (exec?.ContainingType.FullName, exec?.FieldNumber));
        Assert.Null(ModelProtoWalker.FindByJsonName(probe, "handler"));
    }
}
