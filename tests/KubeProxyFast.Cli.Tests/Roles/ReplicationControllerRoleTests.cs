using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary>The replication manager as <c>kpf controller-manager</c> runs it, and its flag.</summary>
public sealed class ReplicationControllerRoleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ControllerManagerCommand_ReplicationController_CreatesItsPods()
    {
        await using var server = await TestApiServer.StartAsync();
        using var client = new KubeClient(server.Url);
        using var kpf = KpfProcess.Start("controller-manager", "--kubeconfig", server.KubeconfigPath, "--secure-port", "0",
            "--controllers", "replicationcontroller", "--concurrent-rc-syncs", "2");

        await client.CreateAsync(new ReplicationController
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new ReplicationControllerSpec
            {
                Replicas = 2,
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new() { ["app"] = "web" } },
                    Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
                },
            },
        });

        await Eventually.True(async () => (await client.ListAsync<Pod>("default")).Items.Count == 2, "two pods", Bound);
        await Eventually.True(async () => (await client.GetAsync<ReplicationController>("default", "web")).Status?.Replicas == 2, "status.replicas 2", Bound);
        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
    }

    [Fact]
    public void ControllerManagerCommand_ConcurrentRcSyncsZero_FailsNamingTheFlag()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = KpfCommandLine.Run(["controller-manager", "--master", "http://127.0.0.1:1", "--concurrent-rc-syncs", "0"], output, error);

        Assert.NotEqual(0, code);
        Assert.Contains("--concurrent-rc-syncs must be at least 1", error.ToString(), StringComparison.Ordinal);
    }
}
