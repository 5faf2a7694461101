using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Protobuf;

namespace KubeProxyFast.Api.Tests.Protobuf;

/// <summary>
/// The model type → message map and the fields Kubernetes declares that the model lacks: what field
/// validation keeps as written instead of calling unknown.
/// </summary>
public sealed class ModelMessagesTests
{
    [Theory]
    [InlineData(typeof(Pod), "k8s.io.api.core.v1.Pod")]
    [InlineData(typeof(PodSpec), "k8s.io.api.core.v1.PodSpec")]
    [InlineData(typeof(Container), "k8s.io.api.core.v1.Container")]
    [InlineData(typeof(EnvVarSource), "k8s.io.api.core.v1.EnvVarSource")]
    [InlineData(typeof(Probe), "k8s.io.api.core.v1.Probe")]
    [InlineData(typeof(ObjectMeta), "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta")]
    [InlineData(typeof(Status), "k8s.io.apimachinery.pkg.apis.meta.v1.Status")]
    public void For_ModelTypeUnderAKind_IsItsKubernetesMessage(Type type, string message)
    {
        Assert.Equal(message, ModelMessages.For(type)?.FullName);
    }

    [Fact]
    public void KubernetesOnly_PodSpec_HasUnmodelledFieldsAndNoModelledOrInventedOnes()
    {
        var fields = ModelMessages.KubernetesOnly(typeof(PodSpec));

        Assert.Null(fields["hostAliases"]);
        Assert.Null(fields["topologySpreadConstraints"]);
        Assert.Null(fields["securityContext"]);
        Assert.DoesNotContain("containers", fields.Keys);
        Assert.DoesNotContain("volumes", fields.Keys);
        Assert.DoesNotContain("dnsConfig", fields.Keys);
        Assert.DoesNotContain("tolerations", fields.Keys);
        Assert.DoesNotContain("foo", fields.Keys);
    }

    [Fact]
    public void KubernetesOnly_Probe_IncludesInlineHandlersUnmodelledField()
    {
        // grpc is ProbeHandler's, inlined into Probe's JSON.
        Assert.Contains("grpc", ModelMessages.KubernetesOnly(typeof(Probe)).Keys);
        Assert.DoesNotContain("handler", ModelMessages.KubernetesOnly(typeof(Probe)).Keys);
    }

    [Fact]
    public void KubernetesOnly_Volume_HasTheInlineSourcesWeDoNotModel()
    {
        var fields = ModelMessages.KubernetesOnly(typeof(Volume));

        Assert.Null(fields["persistentVolumeClaim"]);
        Assert.Null(fields["projected"]);
        Assert.DoesNotContain("emptyDir", fields.Keys);
        Assert.DoesNotContain("volumeSource", fields.Keys);
    }

    [Fact]
    public void FindByJsonName_KeySelectorName_ResolvesThroughInlineLocalObjectReference()
    {
        var selector = KubeProtoMessages.Find("k8s.io.api.core.v1.SecretKeySelector")!;

        var name = KubeProtoMessages.FindByJsonName(selector, "name");

        Assert.Equal(("k8s.io.api.core.v1.LocalObjectReference", 1), (name?.ContainingType.FullName, name?.FieldNumber));
    }

    [Fact]
    public void KubernetesOnly_TypeNoKindReaches_IsEmpty()
    {
        Assert.Empty(ModelMessages.KubernetesOnly(typeof(string)));
    }

    [Fact]
    public void Unmodelled_EveryName_IsNotAlsoADeclaredField()
    {
        var clashes = KubeProtoMessages.Files.SelectMany(f => f.MessageTypes)
            .SelectMany(m => KubeProtoMessages.Unmodelled(m).Where(n => KubeProtoMessages.FindByJsonName(m, n) is not null).Select(n => m.FullName + "." + n));

        Assert.Empty(clashes);
    }
}
