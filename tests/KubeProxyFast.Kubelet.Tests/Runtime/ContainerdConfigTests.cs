using KubeProxyFast.Kubelet.Runtime;

namespace KubeProxyFast.Kubelet.Tests.Runtime;

public class ContainerdConfigTests
{
    private static ContainerdConfig Config(RegistryConfig? registry = null) =>
        ContainerdConfig.ForDataDirectory("/var/lib/kpf", "localhost/kpf/pause:3.10", "/usr/lib/cni", registry);

    [Fact]
    public void Render_Paths_AreUnderTheAgentsContainerdDirectory()
    {
        var toml = Config().Render();
        Assert.Contains("version = 2\n", toml, StringComparison.Ordinal);
        Assert.Contains("root = \"/var/lib/kpf/agent/containerd/root\"", toml, StringComparison.Ordinal);
        Assert.Contains("state = \"/var/lib/kpf/agent/containerd/state\"", toml, StringComparison.Ordinal);
        Assert.Contains("[grpc]\n  address = \"/var/lib/kpf/agent/containerd/containerd.sock\"", toml, StringComparison.Ordinal);
        Assert.Contains("[ttrpc]\n  address = \"/var/lib/kpf/agent/containerd/containerd.sock.ttrpc\"", toml, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.internal.v1.opt\"]\n  path = \"/var/lib/kpf/agent/containerd/opt\"", toml, StringComparison.Ordinal);
        Assert.DoesNotContain("/run/containerd", toml, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CriPlugin_HasSandboxSnapshotterRuncCgroupfsAndCni()
    {
        var toml = Config().Render();
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\"]\n  sandbox_image = \"localhost/kpf/pause:3.10\"", toml, StringComparison.Ordinal);
        Assert.Contains("netns_mounts_under_state_dir = true", toml, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n  snapshotter = \"overlayfs\"", toml, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n  runtime_type = \"io.containerd.runc.v2\"", toml, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n  SystemdCgroup = false", toml, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".cni]\n  bin_dir = \"/usr/lib/cni\"\n  conf_dir = \"/var/lib/kpf/agent/etc/cni/net.d\"", toml, StringComparison.Ordinal);
        Assert.DoesNotContain("registry.mirrors", toml, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RegistriesYaml_GivesMirrorsTlsAndAuthTables()
    {
        var registry = RegistryConfig.Parse("""
            mirrors:
              docker.io:
                endpoint:
                  - "http://198.18.0.1:5000"
                  - "https://mirror.example"
              "198.18.0.1:5000":
                endpoint: ["http://198.18.0.1:5000"]
            configs:
              "mirror.example":
                tls:
                  insecure_skip_verify: true
                auth:
                  username: "u\"1"
                  password: p
            """);
        var toml = Config(registry).Render();
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"docker.io\"]\n  endpoint = [\"http://198.18.0.1:5000\", \"https://mirror.example\"]", toml, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"198.18.0.1:5000\"]\n  endpoint = [\"http://198.18.0.1:5000\"]", toml, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"mirror.example\".tls]\n  insecure_skip_verify = true", toml, StringComparison.Ordinal);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"mirror.example\".auth]\n  username = \"u\\\"1\"\n  password = \"p\"", toml, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyDocument_IsEmpty()
    {
        var registry = RegistryConfig.Parse("");
        Assert.Empty(registry.Mirrors);
        Assert.Empty(registry.Configs);
    }

    [Fact]
    public void Load_BadYaml_NamesTheFileAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kpft-registries-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "mirrors:\n  docker.io:\n    endpoint: [\"http://x\"\n");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => RegistryConfig.Load(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains("invalid YAML", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_EndpointNotAUrl_NamesTheKey()
    {
        var e = Assert.Throws<InvalidDataException>(() => RegistryConfig.Parse("mirrors:\n  docker.io:\n    endpoint: [\"198.18.0.1:5000\"]\n", "r.yaml"));
        Assert.Contains("r.yaml", e.Message, StringComparison.Ordinal);
        Assert.Contains("mirrors.docker.io.endpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() => RegistryConfig.Load("/nonexistent/kpf/registries.yaml"));
        Assert.Contains("/nonexistent/kpf/registries.yaml", e.Message, StringComparison.Ordinal);
    }
}
