using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.ApiServer;
using KubeProxyFast.Cli.Roles.ApiServer.Pki;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Roles.ApiServer;

/// <summary>
/// The clients <c>kpf server</c> hands its controller manager and scheduler (<see cref="ApiServerRole.ClientAs"/>):
/// each authenticates as its own user, never the admin, so a request RBAC does not grant it is
/// refused naming that user.
/// </summary>
public sealed class ComponentIdentityTests : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-identity-").FullName;
    private readonly CapturingLoggerFactory _logs = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly CancellationTokenSource _stop = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _logs.Dispose();
        _output.Dispose();
        _error.Dispose();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("kube-controller-manager", "system:kube-controller-manager")]
    [InlineData("kube-scheduler", "system:kube-scheduler")]
    public async Task ClientAs_Component_AuthenticatesAsItsOwnUserNotTheAdmin(string component, string user)
    {
        var identity = ClientIdentity.All.Single(i => i.FileStem == component);
        var apiServer = new ApiServerRole(new ApiServerSettings(
            null, _directory, Path.Combine(_directory, "kubeconfig"), false, new ApiServerOptions { BindAddress = IPAddress.Loopback, Port = 0 }, new ApiServerServingSettings()));
        using var host = new RoleHost("test", [apiServer], _logs, _output, _error);
        var run = host.RunAsync(_stop.Token);
        await Eventually.True(() => _logs.Messages.Contains("ready: apiserver"), "ready logged", Bound);
        using var client = apiServer.ClientAs(identity);
        using var admin = KubeClient.FromKubeconfig(Path.Combine(_directory, "kubeconfig"));

        // Creating a Secret is granted to neither component by the default policy (the admin may).
        Secret Named(string name) => new() { ApiVersion = "v1", Kind = "Secret", Metadata = new() { Name = name, Namespace = "default" } };
        var refused = await Assert.ThrowsAsync<KubeApiException>(() => client.CreateAsync(Named("by-" + component)));
        var created = await admin.CreateAsync(Named("by-admin"));

        await _stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Bound));
        Assert.Equal(403, refused.Code);
        Assert.Contains($"User \"{user}\" cannot create resource \"secrets\"", refused.Message, StringComparison.Ordinal);
        Assert.Equal("by-admin", created.Metadata.Name);
    }
}
