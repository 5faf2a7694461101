using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Authorization.Node;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Node;

public sealed class NodeGraphTests
{
    [Fact]
    public void Changed_BoundPodWithReferences_GivesItsNodeTheSecretsAndConfigMaps()
    {
        var graph = new NodeGraph();

        graph.Changed(null, Pod("web", "n1", secretVolume: "tls", envSecret: "db", envConfigMap: "settings", configMapVolume: "files"));

        Assert.True(graph.PodOnNode("default", "web", "n1"));
        Assert.True(graph.IsReferenced(ReferencedKind.Secret, "default", "tls", "n1"));
        Assert.True(graph.IsReferenced(ReferencedKind.Secret, "default", "db", "n1"));
        Assert.True(graph.IsReferenced(ReferencedKind.ConfigMap, "default", "settings", "n1"));
        Assert.True(graph.IsReferenced(ReferencedKind.ConfigMap, "default", "files", "n1"));
        Assert.False(graph.IsReferenced(ReferencedKind.Secret, "default", "tls", "n2"));
        Assert.False(graph.IsReferenced(ReferencedKind.ConfigMap, "default", "tls", "n1"));
        Assert.False(graph.IsReferenced(ReferencedKind.Secret, "other", "tls", "n1"));
        Assert.False(graph.PodOnNode("default", "web", "n2"));
    }

    [Fact]
    public void Changed_UnboundPod_GivesNoNodeAnything()
    {
        var graph = new NodeGraph();

        graph.Changed(null, Pod("web", null, secretVolume: "tls"));

        Assert.False(graph.PodOnNode("default", "web", ""));
        Assert.False(graph.IsReferenced(ReferencedKind.Secret, "default", "tls", ""));
    }

    [Fact]
    public void Changed_PodRebound_MovesItsEdgesToTheNewNode()
    {
        var graph = new NodeGraph();
        var first = Pod("web", "n1", secretVolume: "tls");
        graph.Changed(null, first);

        graph.Changed(first, Pod("web", "n2", secretVolume: "tls"));

        Assert.False(graph.PodOnNode("default", "web", "n1"));
        Assert.False(graph.IsReferenced(ReferencedKind.Secret, "default", "tls", "n1"));
        Assert.True(graph.PodOnNode("default", "web", "n2"));
        Assert.True(graph.IsReferenced(ReferencedKind.Secret, "default", "tls", "n2"));
    }

    [Fact]
    public void Changed_OneOfTwoPodsDeleted_KeepsTheSecretWhileTheOtherRefersToIt()
    {
        var graph = new NodeGraph();
        var a = Pod("a", "n1", secretVolume: "tls");
        var b = Pod("b", "n1", envSecret: "tls");
        graph.Changed(null, a);
        graph.Changed(null, b);

        graph.Changed(a, null);

        Assert.True(graph.IsReferenced(ReferencedKind.Secret, "default", "tls", "n1"));
        graph.Changed(b, null);
        Assert.False(graph.IsReferenced(ReferencedKind.Secret, "default", "tls", "n1"));
        Assert.False(graph.PodOnNode("default", "b", "n1"));
    }

    [Fact]
    public void Changed_ReferenceDroppedByUpdate_IsNoLongerReadable()
    {
        var graph = new NodeGraph();
        var before = Pod("web", "n1", secretVolume: "tls", envConfigMap: "settings");

        graph.Changed(null, before);
        graph.Changed(before, Pod("web", "n1", envConfigMap: "settings"));

        Assert.False(graph.IsReferenced(ReferencedKind.Secret, "default", "tls", "n1"));
        Assert.True(graph.IsReferenced(ReferencedKind.ConfigMap, "default", "settings", "n1"));
    }

    [Fact]
    public void Reset_ReplacesEverythingHeld()
    {
        var graph = new NodeGraph();
        graph.Changed(null, Pod("old", "n1", secretVolume: "gone"));

        graph.Reset([Pod("new", "n2", secretVolume: "kept")]);

        Assert.False(graph.PodOnNode("default", "old", "n1"));
        Assert.False(graph.IsReferenced(ReferencedKind.Secret, "default", "gone", "n1"));
        Assert.True(graph.PodOnNode("default", "new", "n2"));
        Assert.True(graph.IsReferenced(ReferencedKind.Secret, "default", "kept", "n2"));
    }

    internal static Pod Pod(string name, string? node, string? secretVolume = null, string? configMapVolume = null, string? envSecret = null, string? envConfigMap = null)
    {
        var volumes = new List<Volume>();
        if (secretVolume is not null)
        {
            volumes.Add(new Volume { Name = "s", Secret = new SecretVolumeSource { SecretName = secretVolume } });
        }

        if (configMapVolume is not null)
        {
            volumes.Add(new Volume { Name = "c", ConfigMap = new ConfigMapVolumeSource { Name = configMapVolume } });
        }

        var env = new List<EnvVar>();
        if (envSecret is not null)
        {
            env.Add(new EnvVar { Name = "S", ValueFrom = new EnvVarSource { SecretKeyRef = new KeySelector { Name = envSecret, Key = "k" } } });
        }

        if (envConfigMap is not null)
        {
            env.Add(new EnvVar { Name = "C", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new KeySelector { Name = envConfigMap, Key = "k" } } });
        }

        return new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new PodSpec { NodeName = node, Volumes = volumes, Containers = [new Container { Name = "c", Image = "busybox", Env = env }] },
        };
    }
}
