using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.Join;
using KubeProxyFast.Cli.Roles.Kubelet;
using KubeProxyFast.Cli.Roles.Proxy;

namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary><c>kpf agent --server --token</c>: the join role first, the kubelet and proxy on the node's kubeconfig; bad combinations refused naming the flags.</summary>
public sealed class JoinFlagsTests
{
    private const string Token = "K100123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef::abcdef.q9w8e7r6t5y4u3i2";

    [Fact]
    public void AgentCommand_ServerAndToken_BindsJoinThenKubeletThenProxyOnTheNodeKubeconfig()
    {
        var kubelet = new KubeletFlags(alone: false);
        var join = new JoinFlags();
        var proxy = new ProxyFlags { JoinSource = join.Server };
        var parse = AgentCommand.Create(kubelet, proxy, join).Parse(["--server", "https://198.18.0.1:6443", "--token", Token, "--data-dir", "/tmp/kpf-join-flags", "--node-name", "n1"]);
        Assert.Empty(parse.Errors);

        var roles = AgentCommand.Bind(kubelet, proxy, join, parse);

        Assert.Equal(["join", "kubelet", "proxy"], roles.Select(r => r.Name));
        Assert.Equal("/tmp/kpf-join-flags/agent/kubelet.kubeconfig", Assert.IsType<JoinRole>(roles[0]).Paths.Kubeconfig);
    }

    [Theory]
    [InlineData(new[] { "--server", "https://198.18.0.1:6443" }, "--server needs the node join token: --token TOKEN or --token-file FILE")]
    [InlineData(new[] { "--token", Token }, "--token/--token-file need --server URL")]
    [InlineData(new[] { "--server", "http://198.18.0.1:6443", "--token", Token }, "--server: \"http://198.18.0.1:6443\": must be an https:// URL")]
    [InlineData(new[] { "--server", "https://198.18.0.1:6443", "--token", Token, "--kubeconfig", "/k" }, "--server and --kubeconfig/--master are two ways")]
    [InlineData(new[] { "--server", "https://198.18.0.1:6443", "--token", Token, "--token-file", "/t" }, "--token and --token-file: give one")]
    [InlineData(new[] { "--server", "https://198.18.0.1:6443", "--token", "abcdef.q9w8e7r6t5y4u3i2" }, "--token: must start with K10")]
    public void AgentCommand_BadJoinFlags_FailNamingThem(string[] args, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = KpfCommandLine.Run(["agent", "--data-dir", "/nonexistent/kpf-join-test", .. args], output, error);

        Assert.NotEqual(0, code);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("q9w8e7r6t5y4u3i2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinRole_TokenFileMissing_IsARoleErrorNamingTheFile()
    {
        var kubelet = new KubeletFlags(alone: false);
        var join = new JoinFlags();
        var proxy = new ProxyFlags { JoinSource = join.Server };
        var parse = AgentCommand.Create(kubelet, proxy, join).Parse(["--server", "https://127.0.0.1:1", "--token-file", "/nonexistent/kpf-token", "--data-dir", "/nonexistent/kpf-join", "--node-ip", "198.18.0.2"]);
        var role = AgentCommand.Bind(kubelet, proxy, join, parse)[0];

        var error = await Assert.ThrowsAsync<RoleException>(() => role.StartAsync(null!, CancellationToken.None));

        Assert.Contains("--token-file /nonexistent/kpf-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JoinRole_BeforeStart_IsNotStarted()
    {
        var role = new JoinRole(new Uri("https://198.18.0.1:6443"), () => throw new InvalidOperationException(), new KubeProxyFast.Kubelet.KubeletOptions { DataDirectory = "/d" });

        Assert.Equal(RoleHealth.NotStarted, role.Health);
        Assert.Equal("/d/agent/pki/kubelet-client.crt", role.Paths.ClientCertificate);
    }
}
