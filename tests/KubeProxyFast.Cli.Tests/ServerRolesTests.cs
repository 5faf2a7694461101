using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests;

/// <summary><c>kpf server</c>'s roles: the controller manager and the scheduler run beside the apiserver, each leading through its Lease, unless <c>--disable</c> leaves them out.</summary>
public sealed class ServerRolesTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-server-roles-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Server_Default_RunsTheControllerManagerAndSchedulerWhichTakeTheirLeasesThroughTheApi()
    {
        using var kpf = KpfProcess.Start("server", "--data-dir", _directory, "--bind-address", "127.0.0.1", "--secure-port", "0", "--controller-manager-secure-port", "0", "--scheduler-secure-port", "0");
        await kpf.WaitForLineAsync("kpf server: apiserver: serving ");
        await kpf.WaitForLineAsync("kpf server: controller-manager: serving /healthz and /metrics on http://127.0.0.1:");
        await kpf.WaitForLineAsync("kpf server: scheduler: serving /healthz and /metrics on http://127.0.0.1:");
        using var client = KubeClient.FromKubeconfig(Path.Combine(_directory, "kubeconfig"));

        await Eventually.True(async () => await HolderAsync(client, "kube-controller-manager") is { Length: > 0 }, "the controller manager's lease taken", Bound);
        await Eventually.True(async () => await HolderAsync(client, "kube-scheduler") is { Length: > 0 }, "the scheduler's lease taken", Bound);
        Assert.EndsWith("ready: apiserver, controller-manager, scheduler", await kpf.WaitForLineAsync("ready: ", stderr: true), StringComparison.Ordinal);

        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
    }

    [Theory]
    [InlineData("--disable", "controllers,scheduler")]
    [InlineData("--disable", "controller-manager", "--disable", "scheduler")]
    [InlineData("--disable-controller-manager", "--disable-scheduler")]
    public async Task Server_DisableBoth_RunsTheApiServerAlone(params string[] flags)
    {
        string[] args = ["server", "--data-dir", _directory, "--bind-address", "127.0.0.1", "--secure-port", "0", .. flags];
        using var kpf = KpfProcess.Start(args);
        // One role: its lines are not prefixed with its name.
        await kpf.WaitForLineAsync("kpf server: serving ");
        var ready = await kpf.WaitForLineAsync("ready: ", stderr: true);
        using var client = KubeClient.FromKubeconfig(Path.Combine(_directory, "kubeconfig"));
        var holders = (await HolderAsync(client, "kube-controller-manager"), await HolderAsync(client, "kube-scheduler"));

        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
        Assert.EndsWith("ready: apiserver", ready, StringComparison.Ordinal);
        Assert.Equal((null, null), holders);
    }

    [Fact]
    public async Task Server_DisableScheduler_RunsTheApiServerAndTheControllerManager()
    {
        using var kpf = KpfProcess.Start("server", "--data-dir", _directory, "--bind-address", "127.0.0.1", "--secure-port", "0", "--controller-manager-secure-port", "0", "--disable", "scheduler");

        var ready = await kpf.WaitForLineAsync("ready: ", stderr: true);

        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
        Assert.EndsWith("ready: apiserver, controller-manager", ready, StringComparison.Ordinal);
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
