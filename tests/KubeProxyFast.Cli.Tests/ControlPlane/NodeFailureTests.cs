using KubeProxyFast.Api.Core;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.ControlPlane;

/// <summary>
/// A node whose kubelet goes silent, end to end through <c>kpf server</c> with shortened grace
/// periods: the node turns Unknown and is tainted unreachable, its pods turn not ready and are
/// evicted, and their RC replaces them on the healthy nodes.
/// </summary>
public sealed class NodeFailureTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SilentNode_PodsNotReadyThenEvicted_RcRecreatesThemOnHealthyNodes()
    {
        await using var server = await ServerProcess.StartAsync(
            "--node-monitor-grace-period", "2s", "--node-monitor-period", "200ms", "--pod-eviction-timeout", "1s");
        await using var kubelets = new StandInKubelets(server.Client, TimeSpan.FromMilliseconds(200));
        await kubelets.RegisterAsync("node-a", "node-b", "node-c");
        server.KubectlWithInput(ClusterState.ReplicationControllerManifest("app", 6), "create", "-f", "-");
        var pods = await ClusterState.WaitBoundAsync(server.Client, "default", "app=app", 6, Within);
        for (var i = 0; i < pods.Count; i++)
        {
            await kubelets.MarkRunningAsync("default", pods[i].Metadata.Name!, $"198.18.1.{i + 1}");
        }

        var victim = pods[0].Spec!.NodeName!;
        var onVictim = pods.Where(p => p.Spec!.NodeName == victim).Select(p => p.Metadata.Name!).ToHashSet();
        kubelets.Silence(victim);

        await Eventually.True(async () =>
        {
            var node = await server.Client.GetAsync<Node>(null, victim);
            return node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "Unknown") == true
                && node.Spec?.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable") == true;
        }, $"{victim} to turn Unknown and be tainted unreachable", Within);
        var replaced = await ClusterState.WaitBoundAsync(server.Client, "default", "app=app", 6, Within,
            live => live.All(p => p.Spec!.NodeName != victim));

        Assert.DoesNotContain(replaced, p => onVictim.Contains(p.Metadata.Name!));
        foreach (var name in onVictim)
        {
            // No kubelet confirms the deletion on a dead node: the evicted pod stays, terminating and not ready.
            var pod = await ClusterState.TryGetAsync<Pod>(server.Client, "default", name);
            Assert.NotNull(pod);
            Assert.NotNull(pod.Metadata.DeletionTimestamp);
            Assert.Contains(pod.Status?.Conditions ?? [], c => c.Type == "Ready" && c.Status == "False");
        }

        Assert.Null(kubelets.LastError);
    }
}
