using System.Net;
using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.ControllerManager;
using KubeProxyFast.Cli.Roles.Leading;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Client;
using KubeProxyFast.Controllers;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary>
/// The controller manager role against a real apiserver: <c>kpf controller-manager</c> as a process takes
/// its Lease and serves /healthz and /metrics; two roles in-process lead one at a time and hand over;
/// a bad <c>--controllers</c> fails the command naming the controller.
/// </summary>
public sealed class ControllerManagerRoleTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    // Short, but keeping the elector's rule lease > renew deadline > 1.2 × retry period.
    private static readonly LeaderElectionSettings FastElection = new(true, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(300));

    private readonly CapturingLoggerFactory _logs = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private TestApiServer _server = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubeClient(_server.Url);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _logs.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task ControllerManagerCommand_AgainstAnApiServer_TakesItsLeaseServesMetricsAndReleasesTheLeaseOnSigterm()
    {
        using var kpf = KpfProcess.Start("controller-manager", "--kubeconfig", _server.KubeconfigPath, "--secure-port", "0");
        var status = StatusUrl(await kpf.WaitForLineAsync("serving /healthz and /metrics on "));
        using var http = new HttpClient { BaseAddress = status };

        await Eventually.True(async () => (await HolderAsync("kube-controller-manager"))?.Length > 0, "the lease taken", Bound);
        await Eventually.True(
            async () =>
            {
                // Each controller makes its queues once its own caches synced: wait for the last to start.
                var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                return text.Contains("workqueue_depth{name=\"endpoint\"} ", StringComparison.Ordinal)
                    && text.Contains("workqueue_depth{name=\"garbage_collector_attempt_to_delete\"} ", StringComparison.Ordinal);
            },
            "/metrics has the controllers' queues",
            Bound);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("leader_election_master_status{name=\"kube-controller-manager\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.StartsWith(Dns.GetHostName() + "_", await HolderAsync("kube-controller-manager"), StringComparison.Ordinal);
        Assert.Contains("# TYPE leader_election_master_status gauge\n", metrics, StringComparison.Ordinal);
        // The controllers' work queues, one series each, as client-go names them.
        Assert.Contains("workqueue_depth{name=\"replicationmanager\"} ", metrics, StringComparison.Ordinal);
        Assert.Contains("workqueue_adds_total{name=\"endpoint\"} ", metrics, StringComparison.Ordinal);
        // The collector's queue exists from the start; it may not have worked yet (nothing to collect).
        Assert.Contains("workqueue_depth{name=\"garbage_collector_attempt_to_delete\"} ", metrics, StringComparison.Ordinal);

        kpf.Signal("TERM");
        Assert.Equal(0, await kpf.WaitForExitAsync(Bound));
        Assert.Equal("", await HolderAsync("kube-controller-manager") ?? "");
    }

    [Fact]
    public void ControllerManagerCommand_UnknownController_FailsNamingIt()
    {
        var (code, error) = Run("controller-manager", "--kubeconfig", "/nonexistent", "--controllers", "*,-nope");

        Assert.NotEqual(0, code);
        Assert.Contains("--controllers: \"nope\" is not in the list of known controllers", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ControllerManagerCommand_NoGarbageCollectorWorkers_FailsNamingTheFlag()
    {
        var (code, error) = Run("controller-manager", "--kubeconfig", "/nonexistent", "--concurrent-gc-syncs", "0");

        Assert.NotEqual(0, code);
        Assert.Contains("--concurrent-gc-syncs must be at least 1, not 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ControllerManagerCommand_NoApiServer_FailsSayingWhatToGive()
    {
        var (code, error) = Run("controller-manager");

        Assert.NotEqual(0, code);
        Assert.Contains("give the apiserver: --kubeconfig FILE or --master URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ControllerManagerCommand_RenewDeadlineNotBelowLeaseDuration_FailsNamingTheFlags()
    {
        var (code, error) = Run("controller-manager", "--master", "http://127.0.0.1:1", "--leader-elect-lease-duration", "5s", "--leader-elect-renew-deadline", "5s");

        Assert.NotEqual(0, code);
        Assert.Contains("--leader-elect-*: LeaseDuration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoControllerManagers_OneApiServer_OneLeadsAndTheOtherTakesOverWhenItStops()
    {
        var first = Role();
        var second = Role();
        using var firstHost = new RoleHost("first", [first], _logs, _output, _error);
        using var secondHost = new RoleHost("second", [second], _logs, _output, _error);
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var firstRun = firstHost.RunAsync(stopFirst.Token);
        var secondRun = secondHost.RunAsync(stopSecond.Token);
        try
        {
            await Eventually.True(() => first.IsLeading || second.IsLeading, "one leads", Bound);
            var (leader, standby, stopLeader, leaderRun) = first.IsLeading ? (first, second, stopFirst, firstRun) : (second, first, stopSecond, secondRun);
            Assert.False(standby.IsLeading);
            Assert.Equal(leader.Identity, await HolderAsync("kube-controller-manager"));
            Assert.Contains("leader_election_master_status{name=\"kube-controller-manager\"} 0\n", standby.Metrics.Render(), StringComparison.Ordinal);

            await stopLeader.CancelAsync();
            Assert.Equal(0, await leaderRun.WaitAsync(Bound));

            await Eventually.True(() => standby.IsLeading, "the standby takes over", Bound);
            Assert.Equal(standby.Identity, await HolderAsync("kube-controller-manager"));
            Assert.False(leader.IsLeading);
        }
        finally
        {
            await stopFirst.CancelAsync();
            await stopSecond.CancelAsync();
            await Task.WhenAll(firstRun, secondRun).WaitAsync(Bound);
        }
    }

    private ControllerManagerRole Role() => new(
        new ControllerManagerOptions(),
        new LeadingRoleSettings(() => new KubeClient(_server.Url), FastElection, new IPEndPoint(IPAddress.Loopback, 0), "--secure-port"));

    private async Task<string?> HolderAsync(string lease)
    {
        try
        {
            return (await _client.GetAsync<Lease>(LeaderElectedRole.LeaseNamespace, lease)).Spec?.HolderIdentity;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KpfCommandLine.Run(args, output, error);
        return (code, error.ToString());
    }

    /// <summary>"kpf controller-manager: serving /healthz and /metrics on http://127.0.0.1:PORT" → the URL.</summary>
    private static Uri StatusUrl(string line) => new(line[(line.IndexOf("http://", StringComparison.Ordinal))..]);
}
