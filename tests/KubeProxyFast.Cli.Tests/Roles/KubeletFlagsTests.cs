using KubeProxyFast.Api.Resources;
using KubeProxyFast.Cli.Roles.Join;
using KubeProxyFast.Cli.Roles.Kubelet;
using KubeProxyFast.Cli.Roles.Proxy;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary><c>kpf kubelet</c> and <c>kpf agent</c> flags: values bound into KubeletOptions, bad values failing the command naming the flag.</summary>
public sealed class KubeletFlagsTests
{
    [Fact]
    public void KubeletCommand_EveryFlag_IsBoundIntoTheOptions()
    {
        var flags = new KubeletFlags(alone: true);
        var parse = KubeletCommand.Create(flags).Parse(
        [
            "--kubeconfig", "/k", "--node-name", "node-7", "--data-dir", "/tmp/kpf-node-7", "--container-runtime-endpoint", "unix:///run/x/c.sock",
            "--registry-config", "/etc/r.yaml", "--pod-infra-container-image", "example/pause:1", "--cni-bin-dir", "/opt/cni/bin",
            "--cluster-cidr", "198.18.128.0/17", "--cluster-dns", "198.19.0.10,198.19.0.11", "--cluster-domain", "example.local",
            "--resolv-conf", "/run/resolv.conf", "--node-ip", "198.18.0.7", "--register-with-taints", "a=b:NoSchedule,c:NoExecute",
            "--node-labels", "tier=edge,zone=z1", "--system-reserved", "cpu=500m,memory=1Gi", "--max-pods", "30",
            "--node-lease-duration-seconds", "20", "--node-status-update-frequency", "2s", "--sync-frequency", "30s",
        ]);
        Assert.Empty(parse.Errors);

        var options = flags.Options(parse);

        Assert.Equal("node-7", options.NodeName);
        Assert.Equal("/tmp/kpf-node-7", options.DataDirectory);
        Assert.Equal("unix:///run/x/c.sock", options.ContainerRuntimeEndpoint);
        Assert.Equal("/etc/r.yaml", options.RegistryConfigPath);
        Assert.Equal("example/pause:1", options.PodInfraContainerImage);
        Assert.Equal("/opt/cni/bin", options.CniBinDirectory);
        Assert.Equal("198.18.128.0/17", options.ClusterCidr);
        Assert.Equal(["198.19.0.10", "198.19.0.11"], options.ClusterDns);
        Assert.Equal("example.local", options.ClusterDomain);
        Assert.Equal("/run/resolv.conf", options.ResolvConf);
        Assert.Equal("198.18.0.7", options.NodeIp);
        Assert.Equal(["a=b:NoSchedule", "c:NoExecute"], options.RegisterWithTaints);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "edge", ["zone"] = "z1" }, options.NodeLabels);
        Assert.Equal(Quantity.Parse("500m"), options.SystemReserved["cpu"]);
        Assert.Equal(Quantity.Parse("1Gi"), options.SystemReserved["memory"]);
        Assert.Equal(30, options.MaxPods);
        Assert.Equal(20, options.NodeLeaseDurationSeconds);
        Assert.Equal(TimeSpan.FromSeconds(2), options.NodeStatusUpdateFrequency);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SyncFrequency);
    }

    [Fact]
    public void KubeletCommand_NoFlags_TakesKubernetesDefaults()
    {
        var flags = new KubeletFlags(alone: true);
        var parse = KubeletCommand.Create(flags).Parse(["--kubeconfig", "/k"]);
        Assert.Empty(parse.Errors);

        var options = flags.Options(parse);

        var defaults = new KubeProxyFast.Kubelet.KubeletOptions();
        Assert.Equal(defaults.NodeName, options.NodeName);
        Assert.Null(options.ContainerRuntimeEndpoint);
        Assert.Equal(110, options.MaxPods);
        Assert.Equal(defaults.ClusterDns, options.ClusterDns);
        Assert.Equal(TimeSpan.FromSeconds(10), options.NodeStatusUpdateFrequency);
        Assert.Empty(options.RegisterWithTaints);
        Assert.Empty(options.SystemReserved);
    }

    [Theory]
    [InlineData("--node-name", "Node_1", "--node-name: \"Node_1\": a lowercase RFC 1123 subdomain")]
    [InlineData("--container-runtime-endpoint", "tcp://127.0.0.1:1", "--container-runtime-endpoint: \"tcp://127.0.0.1:1\": must be a unix socket")]
    [InlineData("--cluster-cidr", "198.18.0.1/16", "--cluster-cidr: \"198.18.0.1/16\": has host bits set (the range is 198.18.0.0/16)")]
    [InlineData("--cluster-cidr", "nope", "--cluster-cidr: \"nope\": must be an IPv4 CIDR")]
    [InlineData("--cluster-dns", "198.19.0.10,x", "--cluster-dns: \"x\" is not an IP address")]
    [InlineData("--cluster-domain", "-bad-", "--cluster-domain: \"-bad-\"")]
    [InlineData("--node-ip", "198.18.0", "--node-ip: \"198.18.0\" is not an IP address")]
    [InlineData("--register-with-taints", "a=b", "--register-with-taints: \"a=b\": invalid taint spec")]
    [InlineData("--register-with-taints", "a=b:Sometimes", "--register-with-taints: \"a=b:Sometimes\": invalid taint effect \"Sometimes\"")]
    [InlineData("--register-with-taints", "a:NoSchedule,a:NoSchedule", "--register-with-taints: \"a:NoSchedule\": duplicated taint")]
    [InlineData("--node-labels", "tier", "--node-labels: \"tier\": expected name=value")]
    [InlineData("--node-labels", "tier=a b", "--node-labels: invalid value \"a b\" of label tier")]
    [InlineData("--system-reserved", "gpu=1", "--system-reserved: unknown resource \"gpu\"")]
    [InlineData("--system-reserved", "memory=lots", "--system-reserved: memory=\"lots\" is not a quantity")]
    [InlineData("--system-reserved", "cpu=-1", "--system-reserved: cpu=-1 is negative")]
    [InlineData("--max-pods", "0", "--max-pods: \"0\": must be a positive number")]
    [InlineData("--node-lease-duration-seconds", "x", "--node-lease-duration-seconds: \"x\": must be a positive number")]
    [InlineData("--node-status-update-frequency", "0s", "--node-status-update-frequency: \"0s\": must be positive")]
    [InlineData("--sync-frequency", "10", "--sync-frequency:")]
    public void KubeletCommand_BadFlag_FailsNamingIt(string flag, string value, string message)
    {
        // A data directory of the test's own, should a bad value ever slip through to a start.
        var data = Path.Combine(Path.GetTempPath(), $"kpf-flags-{Guid.NewGuid():N}");
        try
        {
            var (code, error) = Run("kubelet", "--master", "http://127.0.0.1:1", "--data-dir", data, flag, value);

            Assert.NotEqual(0, code);
            Assert.Contains(message, error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(data), "the command started the kubelet");
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    [Fact]
    public void KubeletCommand_NoApiServer_SaysWhatToGive()
    {
        var (code, error) = Run("kubelet");

        Assert.NotEqual(0, code);
        Assert.Contains("give the apiserver: --kubeconfig FILE or --master URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentCommand_Kubeconfig_BindsKubeletThenProxyOnIt()
    {
        var kubelet = new KubeletFlags(alone: false);
        var join = new JoinFlags();
        var proxy = new ProxyFlags { JoinSource = join.Server };
        var parse = AgentCommand.Create(kubelet, proxy, join).Parse(["--kubeconfig", "/k", "--node-name", "node-9", "--max-pods", "12", "--proxy-mode", "direct"]);
        Assert.Empty(parse.Errors);

        var roles = AgentCommand.Bind(kubelet, proxy, join, parse);

        Assert.Equal(["kubelet", "proxy"], roles.Select(r => r.Name));
        var options = Assert.IsType<KubeletRole>(roles[0]).Options;
        Assert.Equal(("node-9", 12), (options.NodeName, options.MaxPods));
        Assert.IsType<ProxyRole>(roles[1]);
    }

    [Fact]
    public void AgentCommand_ConfigFile_IsRefused()
    {
        var (code, error) = Run("agent", "--kubeconfig", "/k", "--data-dir", "/nonexistent/kpf-agent-test", "--config", "/services.yaml");

        Assert.NotEqual(0, code);
        Assert.Contains("--config: kpf agent takes Services and Endpoints from the apiserver", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentCommand_BadKubeletFlag_FailsNamingIt()
    {
        var (code, error) = Run("agent", "--kubeconfig", "/k", "--data-dir", "/nonexistent/kpf-agent-test", "--register-with-taints", "x:Never");

        Assert.NotEqual(0, code);
        Assert.Contains("--register-with-taints: \"x:Never\": invalid taint effect", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubeletCommand_NoRuntimeOnTheSocket_FailsNamingTheSocket()
    {
        await using var server = await TestApiServer.StartAsync();
        var data = Directory.CreateTempSubdirectory("kpf-kubelet-").FullName;
        try
        {
            var socket = Path.Combine(data, "none.sock");
            var (code, error) = await Task.Run(() => Run("kubelet", "--kubeconfig", server.KubeconfigPath, "--node-name", "node-x",
                "--data-dir", data, "--container-runtime-endpoint", "unix://" + socket, "--node-ip", "198.18.0.9"));

            Assert.Equal(1, code);
            Assert.Contains("kpf kubelet: cannot start: container runtime at " + socket + " is not answering", error, StringComparison.Ordinal);
            // Nothing was registered: the runtime is checked first.
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/v1/nodes/node-x")).StatusCode);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KpfCommandLine.Run(args, output, error);
        return (code, error.ToString());
    }
}
