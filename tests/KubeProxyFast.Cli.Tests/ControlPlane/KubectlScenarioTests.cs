using KubeProxyFast.Api.Core;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.ControlPlane;

/// <summary>
/// What a newcomer does with kubectl against <c>kpf server</c> (every role): an RC and a Service
/// from one manifest on three nodes; the pods land spread, the Service's Endpoints follow the pods
/// once their kubelet says they are ready, and deleting the RC takes its pods with it.
/// </summary>
public sealed class KubectlScenarioTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private static readonly string Manifest = ClusterState.ReplicationControllerManifest("web", 5) + """

        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - port: 80
            targetPort: 80
        """;

    [Fact]
    public async Task CreateRcAndService_OnThreeNodes_PodsSpreadEndpointsFollowDeleteCascades()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var kubelets = new StandInKubelets(server.Client, TimeSpan.FromMilliseconds(500));
        await kubelets.RegisterAsync("node-a", "node-b", "node-c");

        var created = server.KubectlWithInput(Manifest, "create", "-f", "-");
        Assert.Contains("replicationcontroller/web created", created, StringComparison.Ordinal);
        Assert.Contains("service/web created", created, StringComparison.Ordinal);

        var pods = await ClusterState.WaitBoundAsync(server.Client, "default", "app=web", 5, Within);
        Assert.Equal([1, 2, 2], ClusterState.SpreadOf(pods));

        var ips = new List<string>();
        for (var i = 0; i < pods.Count; i++)
        {
            ips.Add($"198.18.1.{i + 1}");
            await kubelets.MarkRunningAsync("default", pods[i].Metadata.Name!, ips[^1]);
        }

        await Eventually.True(async () =>
        {
            var endpoints = await ClusterState.TryGetAsync<Endpoints>(server.Client, "default", "web");
            return endpoints is not null && Addresses(endpoints).Order().SequenceEqual(ips.Order());
        }, "the Endpoints of web to list the 5 ready pods", Within);
        var listed = server.Kubectl("get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}");
        Assert.Equal(ips.Order(), listed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());

        Assert.Contains("replicationcontroller \"web\" deleted", server.Kubectl("delete", "rc", "web"), StringComparison.Ordinal);
        await Eventually.True(async () => (await server.Client.ListAsync<Pod>("default", new() { LabelSelector = "app=web" })).Items.Count == 0,
            "the RC's pods to be deleted by the garbage collector", Within);
        Assert.Equal("", server.Kubectl("get", "pods", "-l", "app=web", "-o", "name").Trim());
    }

    private static IEnumerable<string> Addresses(Endpoints endpoints) =>
        (endpoints.Subsets ?? []).SelectMany(s => s.Addresses ?? []).Select(a => a.Ip);
}
