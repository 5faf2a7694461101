using KubeProxyFast.Kubelet.PodConfig;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Pods;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.Tests.Pods;

public class ConfigBuilderTests
{
    private static readonly KubeletOptions Options = new() { DataDirectory = "/var/lib/kpf", CgroupRoot = "/kubepods" };

    private static Pod NewPod(params Container[] containers) => new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "ns1", Uid = "u-1", Labels = new() { ["app"] = "web" } },
        Spec = new PodSpec { Containers = [.. containers], TerminationGracePeriodSeconds = 7 },
    };

    [Fact]
    public void Build_Sandbox_HasKubernetesMetadataHostnameLogsLabelsPortsAndNamespaces()
    {
        var pod = NewPod(new Container
        {
            Name = "app",
            Ports = [new ContainerPort { Number = 80, HostPort = 8080, HostIP = "198.18.0.1" }, new ContainerPort { Number = 53, Protocol = "UDP" }],
        });
        var config = new SandboxConfigBuilder(Options, new BasicPodConfigSource()).Build(pod, 2);

        Assert.Equal(("web", "ns1", "u-1", 2u), (config.Metadata.Name, config.Metadata.Namespace, config.Metadata.Uid, config.Metadata.Attempt));
        Assert.Equal("web", config.Hostname);
        Assert.Equal("/var/lib/kpf/agent/logs/pods/ns1_web_u-1", config.LogDirectory);
        Assert.Equal("web", config.Labels["app"]);
        Assert.Equal("u-1", config.Labels[KubeletLabels.PodUid]);
        Assert.Equal("web", config.Labels[KubeletLabels.PodName]);
        Assert.Equal("ns1", config.Labels[KubeletLabels.PodNamespace]);
        Assert.Equal(2, config.PortMappings.Count);
        Assert.Equal(new PortMapping { ContainerPort = 80, HostPort = 8080, HostIp = "198.18.0.1", Protocol = Protocol.Tcp }, config.PortMappings[0]);
        Assert.Equal(new PortMapping { ContainerPort = 53, Protocol = Protocol.Udp }, config.PortMappings[1]);
        var ns = config.Linux.SecurityContext.NamespaceOptions;
        Assert.Equal((NamespaceMode.Pod, NamespaceMode.Pod, NamespaceMode.Container), (ns.Network, ns.Ipc, ns.Pid));
        Assert.Equal("/kubepods/besteffort/podu-1", config.Linux.CgroupParent);
    }

    [Fact]
    public void Build_SpecHostname_IsTheSandboxHostname()
    {
        var pod = NewPod(new Container { Name = "app" });
        pod.Spec!.Hostname = "db-0";
        Assert.Equal("db-0", new SandboxConfigBuilder(Options, new BasicPodConfigSource()).Build(pod, 0).Hostname);
    }

    [Fact]
    public void CgroupParent_ByQosClass()
    {
        var q = Quantity.Parse("100m");
        var m = Quantity.Parse("64Mi");
        var guaranteed = NewPod(new Container { Name = "a", Resources = new() { Limits = new() { ["cpu"] = q, ["memory"] = m } } });
        var burstable = NewPod(new Container { Name = "a", Resources = new() { Requests = new() { ["cpu"] = q } } });
        var unequal = NewPod(new Container { Name = "a", Resources = new() { Requests = new() { ["cpu"] = q }, Limits = new() { ["cpu"] = Quantity.Parse("200m"), ["memory"] = m } } });
        Assert.Equal("/kubepods/podu-1", PodCgroups.Parent(guaranteed, "/kubepods"));
        Assert.Equal("/kubepods/burstable/podu-1", PodCgroups.Parent(burstable, "/kubepods"));
        Assert.Equal(QosClasses.Burstable, ContainerResources.QosClass(unequal));
        Assert.Equal("/kubepods/besteffort/podu-1", PodCgroups.Parent(NewPod(new Container { Name = "a" }), "/kubepods/"));
    }

    [Fact]
    public async Task BuildAsync_Container_ExpandsVariablesAndCarriesLabelsAnnotationsAndLogPath()
    {
        var container = new Container
        {
            Name = "app",
            Image = "busybox:1",
            Command = ["sh", "-c"],
            Args = ["echo $(GREETING) $(MISSING) $$(GREETING)"],
            WorkingDir = "/tmp",
            Env = [new EnvVar { Name = "WHO", Value = "world" }, new EnvVar { Name = "GREETING", Value = "hello $(WHO)" }],
        };
        var pod = NewPod(container);
        var config = await new ContainerConfigBuilder(new BasicPodConfigSource()).BuildAsync(pod, container, 3, "sha256:abc", "198.18.7.2", CancellationToken.None);

        Assert.Equal(("app", 3u), (config.Metadata.Name, config.Metadata.Attempt));
        Assert.Equal("sha256:abc", config.Image.Image);
        Assert.Equal(["sh", "-c"], config.Command);
        Assert.Equal(["echo hello world $(MISSING) $(GREETING)"], config.Args);
        Assert.Equal("/tmp", config.WorkingDir);
        Assert.Equal([("WHO", "world"), ("GREETING", "hello world")], config.Envs.Select(e => (e.Key, e.Value.ToStringUtf8())));
        Assert.Equal("app/3.log", config.LogPath);
        Assert.Equal("app", config.Labels[KubeletLabels.ContainerName]);
        Assert.Equal("u-1", config.Labels[KubeletLabels.PodUid]);
        Assert.Equal("3", config.Annotations[KubeletLabels.ContainerRestartCount]);
        Assert.Equal("7", config.Annotations[KubeletLabels.PodTerminationGracePeriod]);
        Assert.Equal(ContainerConfigBuilder.Hash(container), config.Annotations[KubeletLabels.ContainerHash]);
        Assert.Equal(NamespaceMode.Container, config.Linux.SecurityContext.NamespaceOptions.Pid);
    }

    [Fact]
    public void Hash_ChangesWithTheSpec()
    {
        var a = new Container { Name = "app", Image = "busybox:1" };
        var b = new Container { Name = "app", Image = "busybox:2" };
        Assert.Equal(ContainerConfigBuilder.Hash(a), ContainerConfigBuilder.Hash(new Container { Name = "app", Image = "busybox:1" }));
        Assert.NotEqual(ContainerConfigBuilder.Hash(a), ContainerConfigBuilder.Hash(b));
    }

    [Theory]
    [InlineData("Always", 0, true)]
    [InlineData("Always", 1, true)]
    [InlineData("OnFailure", 0, false)]
    [InlineData("OnFailure", 2, true)]
    [InlineData("Never", 1, false)]
    public void ShouldRestart_FollowsTheRestartPolicy(string policy, int exitCode, bool expected)
    {
        var pod = NewPod(new Container { Name = "a" });
        pod.Spec!.RestartPolicy = policy;
        Assert.Equal(expected, PodSyncer.ShouldRestart(pod, exitCode));
    }

    [Fact]
    public void GracePeriod_DeletionGraceFirstThenSpecAtLeastTwoSeconds()
    {
        var pod = NewPod(new Container { Name = "a" });
        Assert.Equal(7, PodSyncer.GracePeriod(pod));
        pod.Metadata.DeletionGracePeriodSeconds = 4;
        Assert.Equal(4, PodSyncer.GracePeriod(pod));
        pod.Metadata.DeletionGracePeriodSeconds = 0;
        Assert.Equal(2, PodSyncer.GracePeriod(pod));
    }
}
