using System.Net;
using KubeProxyFast.Cli.Roles.Kubelet;
using KubeProxyFast.Kubelet.Server;

namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary>The kubelet API's flags: bound into <see cref="KubeletServerOptions"/>, defaulted as a webhook-secured kubelet, bad values naming the flag.</summary>
public sealed class KubeletServerFlagsTests
{
    [Fact]
    public void KubeletCommand_ServerFlags_AreBoundIntoTheOptions()
    {
        var flags = new KubeletFlags(alone: true);
        var parse = KubeletCommand.Create(flags).Parse(
        [
            "--kubeconfig", "/k", "--address", "198.18.0.7", "--port", "10350", "--tls-cert-file", "/etc/kpf/serving.crt",
            "--tls-private-key-file", "/etc/kpf/serving.key", "--client-ca-file", "/etc/kpf/client-ca.crt", "--anonymous-auth", "true",
            "--authentication-token-webhook", "false", "--authorization-mode", "AlwaysAllow",
        ]);
        Assert.Empty(parse.Errors);

        var server = flags.Options(parse).Server!;

        Assert.Equal(IPAddress.Parse("198.18.0.7"), server.Address);
        Assert.Equal(10350, server.Port);
        Assert.Equal("/etc/kpf/serving.crt", server.TlsCertFile);
        Assert.Equal("/etc/kpf/serving.key", server.TlsPrivateKeyFile);
        Assert.Equal("/etc/kpf/client-ca.crt", server.ClientCaFile);
        Assert.True(server.AnonymousAuth);
        Assert.False(server.AuthenticationTokenWebhook);
        Assert.Equal(KubeletAuthorizationMode.AlwaysAllow, server.AuthorizationMode);
    }

    [Fact]
    public void KubeletCommand_NoServerFlags_ServesWebhookSecuredOn10250()
    {
        var flags = new KubeletFlags(alone: true);
        var parse = KubeletCommand.Create(flags).Parse(["--kubeconfig", "/k"]);
        Assert.Empty(parse.Errors);

        var server = flags.Options(parse).Server!;

        Assert.Equal(IPAddress.Any, server.Address);
        Assert.Equal(10250, server.Port);
        Assert.Null(server.TlsCertFile);
        Assert.Null(server.ClientCaFile);
        Assert.False(server.AnonymousAuth);
        Assert.True(server.AuthenticationTokenWebhook);
        Assert.Equal(KubeletAuthorizationMode.Webhook, server.AuthorizationMode);
    }

    [Fact]
    public void KubeletCommand_EnableServerFalse_ServesNoApi()
    {
        var flags = new KubeletFlags(alone: true);
        var parse = KubeletCommand.Create(flags).Parse(["--kubeconfig", "/k", "--enable-server=false"]);
        Assert.Empty(parse.Errors);

        Assert.Null(flags.Options(parse).Server);
    }

    [Theory]
    [InlineData("--port=0", "--port: \"0\": must be between 1 and 65535, inclusive")]
    [InlineData("--port=65536", "--port: \"65536\": must be between 1 and 65535, inclusive")]
    [InlineData("--address=198.18.0", "--address: \"198.18.0\" is not an IP address")]
    [InlineData("--authorization-mode=RBAC", "--authorization-mode: unknown value \"RBAC\" (expected one of: Webhook, AlwaysAllow)")]
    [InlineData("--tls-cert-file=/etc/kpf/serving.crt", "--tls-cert-file and --tls-private-key-file go together")]
    public void KubeletCommand_BadServerFlag_FailsNamingTheFlag(string flag, string expected)
    {
        var parse = KubeletCommand.Create(new KubeletFlags(alone: true)).Parse(["--kubeconfig", "/k", flag]);

        Assert.Contains(parse.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }
}
