using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary>The endpoints controller as <c>kpf controller-manager</c> runs it, and its flags.</summary>
public sealed class EndpointsRoleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ControllerManagerCommand_Endpoint_WritesTheEndpointsOfAService()
    {
        await using var server = await TestApiServer.StartAsync();
        using var client = new KubeClient(server.Url);
        using var kpf = KpfProcess.Start("controller-manager", "--kubeconfig", server.KubeconfigPath, "--secure-port", "0",
            "--controllers", "endpoint", "--concurrent-endpoint-syncs", "2", "--endpoint-updates-batch-period", "10ms");

        await client.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
            Spec = new ServiceSpec { Selector = new() { ["app"] = "web" }, Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
        });
        var pod = await client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "web-1", Namespace = "default", Labels = new() { ["app"] = "web" } },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
        });
        pod.Status = new PodStatus
        {
            Phase = PodPhases.Running,
            PodIP = "198.18.0.1",
            PodIPs = [new PodIP { Ip = "198.18.0.1" }],
            Conditions = [new PodCondition { Type = PodConditionTypes.Ready, Status = ConditionStatuses.True }],
        };
        await client.UpdateStatusAsync(pod);

        await Eventually.True(
            async () => await TryGetAddressAsync(client) == "198.18.0.1", "the pod's address in the Endpoints web", Bound);
        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
    }

    [Fact]
    public void ControllerManagerCommand_ConcurrentEndpointSyncsZero_FailsNamingTheFlag()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = KpfCommandLine.Run(["controller-manager", "--master", "http://127.0.0.1:1", "--concurrent-endpoint-syncs", "0"], output, error);

        Assert.NotEqual(0, code);
        Assert.Contains("--concurrent-endpoint-syncs must be at least 1", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string?> TryGetAddressAsync(KubeClient client)
    {
        try
        {
            var endpoints = await client.GetAsync<Endpoints>("default", "web");
            return endpoints.Subsets?.FirstOrDefault()?.Addresses?.FirstOrDefault()?.Ip;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
