using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests;

/// <summary><c>kpf server</c>'s roles: the controller manager runs beside the apiserver and leads through its Lease, unless <c>--disable</c> leaves it out.</summary>
public sealed class ServerRolesTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-server-roles-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Server_Default_RunsTheControllerManagerWhichTakesItsLeaseThroughTheApi()
    {
        using var kpf = KpfProcess.Start("server", "--data-dir", _directory, "--port", "0", "--controller-manager-secure-port", "0");
        await kpf.WaitForLineAsync("kpf server: apiserver: serving ");
        await kpf.WaitForLineAsync("kpf server: controller-manager: serving /healthz and /metrics on http://127.0.0.1:");
        using var client = KubeClient.FromKubeconfig(Path.Combine(_directory, "kubeconfig"));

        await Eventually.True(async () => await HolderAsync(client, "kube-controller-manager") is { Length: > 0 }, "the controller manager's lease taken", Bound);

        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
    }

    [Theory]
    [InlineData("--disable", "controllers")]
    [InlineData("--disable", "controller-manager,scheduler")]
    [InlineData("--disable-controller-manager", null)]
    public async Task Server_DisableControllers_RunsTheApiServerAlone(string flag, string? value)
    {
        string[] args = ["server", "--data-dir", _directory, "--port", "0", "--disable-scheduler", flag, .. value is null ? Array.Empty<string>() : [value]];
        using var kpf = KpfProcess.Start(args);
        // One role: its lines are not prefixed with its name.
        await kpf.WaitForLineAsync("kpf server: serving ");
        var ready = await kpf.WaitForLineAsync("ready: ", stderr: true);
        using var client = KubeClient.FromKubeconfig(Path.Combine(_directory, "kubeconfig"));
        var holder = await HolderAsync(client, "kube-controller-manager");

        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
        Assert.EndsWith("ready: apiserver", ready, StringComparison.Ordinal);
        Assert.Null(holder);
    }

    [Fact]
    public void Server_DisableUnknownRole_FailsListingTheValidOnes()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = KpfCommandLine.Run(["server", "--disable", "traefik"], output, error);

        Assert.NotEqual(0, code);
        Assert.Contains("--disable: unknown role \"traefik\" (valid items: scheduler, controllers)", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string?> HolderAsync(KubeClient client, string lease)
    {
        try
        {
            return (await client.GetAsync<Lease>("kube-system", lease)).Spec?.HolderIdentity;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
