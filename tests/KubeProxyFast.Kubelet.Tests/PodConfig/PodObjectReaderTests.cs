using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Kubelet.PodConfig;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.PodConfig;

/// <summary>The kubelet reads its pods' Secrets and ConfigMaps by name, as a node the Node authorizer lets read only those.</summary>
public sealed class PodObjectReaderTests
{
    [Fact]
    public async Task ReadAsync_AsTheNodeOfThePod_ReadsWhatItRefersToAndMissesTheAbsent()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var admin = server.ClientAs("admin", "system:masters");
        await admin.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "tls", Namespace = "default" }, Data = new() { ["k"] = Encoding.UTF8.GetBytes("secret-value") } });
        await admin.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "settings", Namespace = "default" }, Data = new() { ["k"] = "v" } });
        var pod = await admin.CreateAsync(Pod("web", "n1", secret: "tls", configMap: "settings", envSecret: "absent"));
        var reader = new PodObjectReader(server.ClientAs("system:node:n1", "system:nodes"));

        var objects = await EventuallyAsync(() => reader.ReadAsync(pod, CancellationToken.None));

        Assert.Equal("secret-value", Encoding.UTF8.GetString(objects.Secret("tls")!.Data!["k"]));
        Assert.Equal("v", objects.ConfigMap("settings")!.Data!["k"]);
        Assert.Null(objects.Secret("absent"));
        Assert.Null(objects.ConfigMap("tls"));
    }

    [Fact]
    public async Task ReadAsync_PodOfAnotherNode_IsAContainerConfigError()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var admin = server.ClientAs("admin", "system:masters");
        await admin.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "tls", Namespace = "default" }, Data = new() { ["k"] = [1] } });
        var pod = await admin.CreateAsync(Pod("web", "n2", secret: "tls"));
        // n2 reads it: the authorizer has seen the pod, so n1's refusal is not a lag.
        await EventuallyAsync(() => new PodObjectReader(server.ClientAs("system:node:n2", "system:nodes")).ReadAsync(pod, CancellationToken.None));

        var e = await Assert.ThrowsAsync<ContainerConfigException>(
            () => new PodObjectReader(server.ClientAs("system:node:n1", "system:nodes")).ReadAsync(pod, CancellationToken.None));

        Assert.Contains("couldn't get secret default/tls", e.Message, StringComparison.Ordinal);
        Assert.Contains("no relationship found between node 'n1' and this object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void References_VolumesAndEnv_EachNameOnce()
    {
        var pod = Pod("web", "n1", secret: "a", configMap: "c", envSecret: "a");

        var (secrets, configMaps) = PodObjectReader.References(pod);

        Assert.Equal(["a"], secrets);
        Assert.Equal(["c"], configMaps);
    }

    /// <summary>Retries while the apiserver's node graph has not yet seen the pod (a refusal surfaces as a ContainerConfigException).</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return await read();
            }
            catch (ContainerConfigException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static Pod Pod(string name, string node, string? secret = null, string? configMap = null, string? envSecret = null)
    {
        var volumes = new List<Volume>();
        if (secret is not null)
        {
            volumes.Add(new Volume { Name = "s", Secret = new SecretVolumeSource { SecretName = secret } });
        }

        var env = new List<EnvVar>();
        if (configMap is not null)
        {
            env.Add(new EnvVar { Name = "C", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new KeySelector { Name = configMap, Key = "k" } } });
        }

        if (envSecret is not null)
        {
            env.Add(new EnvVar { Name = "S", ValueFrom = new EnvVarSource { SecretKeyRef = new KeySelector { Name = envSecret, Key = "k", Optional = true } } });
        }

        return new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new PodSpec { NodeName = node, Volumes = volumes, Containers = [new Container { Name = "c", Image = "busybox", Env = env }] },
        };
    }
}
