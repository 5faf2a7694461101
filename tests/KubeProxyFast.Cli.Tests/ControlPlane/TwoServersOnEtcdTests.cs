using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.ControlPlane;

/// <summary>
/// Two <c>kpf server</c>s on one etcd, as an HA control plane: both serve the API, one schedules
/// and one runs the controllers, each through its Lease in kube-system; when the leader's process
/// dies the other takes both over and the pods left pending get bound.
/// </summary>
public sealed class TwoServersOnEtcdTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    // Short terms (Kubernetes' defaults are 15 s, 10 s, 2 s), so a takeover takes seconds.
    private static readonly string[] LeaderElection =
        ["--leader-elect-lease-duration", "3s", "--leader-elect-renew-deadline", "2s", "--leader-elect-retry-period", "500ms"];

    [Fact]
    public async Task LeaderKilled_OtherServerTakesOver_PendingPodsGetBound()
    {
        using var etcd = EtcdServer.Launch();
        string[] flags = ["--etcd-servers", etcd.ClientUrl, .. LeaderElection];
        // The first server leads both roles before the second starts, so which process to kill is known.
        await using var first = await ServerProcess.StartAsync(flags);
        var scheduler = await HolderAsync(first.Client, "kube-scheduler", null);
        var controllers = await HolderAsync(first.Client, "kube-controller-manager", null);
        Assert.Equal(await first.IdentityAsync("kube-scheduler"), scheduler);
        Assert.Equal(await first.IdentityAsync("kube-controller-manager"), controllers);
        // Servers on one etcd must share the encryption at rest (as Kubernetes requires of its
        // apiservers): the second reads the Secrets the first wrote, its bootstrap token among them.
        await using var second = await ServerProcess.StartAsync([.. flags, "--encryption-provider-config", Path.Combine(first.Directory, "encryption-config.yaml")]);
        await using var kubelets = new StandInKubelets(second.Client, TimeSpan.FromMilliseconds(500));
        await kubelets.RegisterAsync("node-a", "node-b");

        // Both serve the API: what one writes, the other reads.
        second.KubectlWithInput(ClusterState.ReplicationControllerManifest("before", 2), "create", "-f", "-");
        Assert.NotNull(await ClusterState.TryGetAsync<ReplicationController>(first.Client, "default", "before"));
        await ClusterState.WaitBoundAsync(first.Client, "default", "app=before", 2, Within);
        Assert.Equal(scheduler, (await first.Client.GetAsync<Lease>("kube-system", "kube-scheduler")).Spec?.HolderIdentity);
        Assert.Equal(controllers, (await second.Client.GetAsync<Lease>("kube-system", "kube-controller-manager")).Spec?.HolderIdentity);

        await first.KillAsync();
        // Created while no scheduler leads: pending until the second server takes over.
        await second.Client.CreateAsync(new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta { Name = "pending", Namespace = "default", Labels = new() { ["app"] = "pending" } },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx:1.25" }] },
        });

        Assert.Equal(await second.IdentityAsync("kube-scheduler"), await HolderAsync(second.Client, "kube-scheduler", scheduler));
        await ClusterState.WaitBoundAsync(second.Client, "default", "app=pending", 1, Within);
        Assert.Equal(await second.IdentityAsync("kube-controller-manager"), await HolderAsync(second.Client, "kube-controller-manager", controllers));
        second.Kubectl("scale", "rc", "before", "--replicas", "3");
        await ClusterState.WaitBoundAsync(second.Client, "default", "app=before", 3, Within);
    }

    /// <summary>The holder of Lease kube-system/<paramref name="name"/> once it is held by someone other than <paramref name="not"/>.</summary>
    private static async Task<string> HolderAsync(KubeClient client, string name, string? not)
    {
        string? holder = null;
        await Eventually.True(async () =>
        {
            holder = (await ClusterState.TryGetAsync<Lease>(client, "kube-system", name))?.Spec?.HolderIdentity;
            return !string.IsNullOrEmpty(holder) && holder != not;
        }, $"Lease kube-system/{name} to be held{(not is null ? "" : " by another than " + not)}", Within);
        return holder!;
    }
}
