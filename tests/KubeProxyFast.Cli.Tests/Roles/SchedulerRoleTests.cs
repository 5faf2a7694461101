using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Cli.Roles.Leading;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary><c>kpf scheduler</c> as a process against a real apiserver: takes its Lease, binds a pending pod, serves its metrics.</summary>
public sealed class SchedulerRoleTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private TestApiServer _server = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubeClient(_server.Url);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task SchedulerCommand_AgainstAnApiServer_TakesItsLeaseBindsAPendingPodAndServesItsMetrics()
    {
        using var kpf = KpfProcess.Start("scheduler", "--kubeconfig", _server.KubeconfigPath, "--secure-port", "0");
        var line = await kpf.WaitForLineAsync("serving /healthz and /metrics on ");
        using var http = new HttpClient { BaseAddress = new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..]) };
        await CreateReadyNodeAsync("n1");

        await _client.CreateAsync(new Pod
        {
            Metadata = new() { Name = "p", Namespace = "default" },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
        });

        await Eventually.True(async () => (await _client.GetAsync<Pod>("default", "p")).Spec?.NodeName == "n1", "the pod bound to n1", Bound);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var lease = await _client.GetAsync<Lease>(LeaderElectedRole.LeaseNamespace, "kube-scheduler");
        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
        Assert.Contains("scheduler_schedule_attempts_total{result=\"scheduled\",profile=\"default-scheduler\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("leader_election_master_status{name=\"kube-scheduler\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(lease.Spec?.HolderIdentity));
    }

    /// <summary>A node as a kubelet registers it: created, then its status (Ready, allocatable) written.</summary>
    private async Task CreateReadyNodeAsync(string name)
    {
        var node = await _client.CreateAsync(new Node { Metadata = new() { Name = name } });
        var allocatable = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse("4"), ["memory"] = Quantity.Parse("8Gi"), ["pods"] = Quantity.Parse("110") };
        node.Status = new NodeStatus
        {
            Capacity = new(allocatable),
            Allocatable = allocatable,
            Conditions = [new NodeCondition { Type = "Ready", Status = "True" }],
        };
        await _client.UpdateStatusAsync(node);
    }
}
