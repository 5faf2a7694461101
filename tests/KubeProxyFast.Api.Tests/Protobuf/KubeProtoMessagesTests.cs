using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Protobuf;

/// <summary>Every kind has its messages, and no kind has messages without being defined in <see cref="KubeKinds"/>.</summary>
public sealed class KubeProtoMessagesTests
{
    private const string ObjectMeta = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private const string ListMeta = "k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta";

    // Messages that carry metadata without being kinds of their own.
    private static readonly string[] EmbeddedObjects = ["k8s.io.api.core.v1.PodTemplateSpec"];

    [Fact]
    public void KindsWithMessages_EqualKubeKinds()
    {
        // A message whose field 1 is metadata (ObjectMeta or ListMeta) is a kind or a list kind.
        var declared = KubeProtoMessages.Files
            .Where(f => f.Package.StartsWith("k8s.io.api.", StringComparison.Ordinal))
            .SelectMany(f => f.MessageTypes)
            .Where(m => m.FindFieldByNumber(1) is { Name: "metadata" } meta && meta.MessageType?.FullName is ObjectMeta or ListMeta)
            .Select(m => m.FullName)
            .Except(EmbeddedObjects)
            .Order(StringComparer.Ordinal);
        var defined = KubeKinds.All
            .SelectMany(k => new[] { k.Kind, k.ListKind }.OfType<string>().Select(kind => KubeProtoMessages.Package(k.GroupVersion) + "." + kind))
            .Order(StringComparer.Ordinal);

        Assert.Equal(defined, declared);
    }

    [Fact]
    public void ForKind_EveryKind_MessageWithObjectMetaFirst()
    {
        Assert.All(KubeKinds.All, kind =>
        {
            var message = KubeProtoMessages.ForKind(kind);
            Assert.NotNull(message);
            Assert.Equal(ObjectMeta, message.FindFieldByNumber(1).MessageType.FullName);
        });
    }

    [Fact]
    public void ForListKind_EveryListedKind_ItemsAreTheKindsMessage()
    {
        Assert.All(KubeKinds.All.Where(k => k.ListKind is not null), kind =>
        {
            var items = KubeProtoMessages.ForListKind(kind)?.FindFieldByName("items");
            Assert.NotNull(items);
            Assert.Equal((2, true), (items.FieldNumber, items.IsRepeated));
            Assert.Same(KubeProtoMessages.ForKind(kind), items.MessageType);
        });
    }

    [Theory]
    [InlineData("", "v1", "k8s.io.api.core.v1")]
    [InlineData("coordination.k8s.io", "v1", "k8s.io.api.coordination.v1")]
    [InlineData("autoscaling", "v1", "k8s.io.api.autoscaling.v1")]
    public void Package_GroupVersion_IsKubernetesProtoPackage(string group, string version, string package)
    {
        Assert.Equal(package, KubeProtoMessages.Package(new GroupVersion(group, version)));
    }

    [Fact]
    public void Find_UnknownMessage_IsNull()
    {
        Assert.Null(KubeProtoMessages.Find("k8s.io.api.core.v1.PersistentVolume"));
    }
}
