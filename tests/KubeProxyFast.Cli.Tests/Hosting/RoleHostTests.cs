using System.Collections.Concurrent;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Hosting;

/// <summary>The role host with fake roles, in-process: start and stop order, failures at start and while running, the stop deadline, readiness.</summary>
public sealed class RoleHostTests : IDisposable
{
    // Bounds every wait of these tests, so that a host that hangs fails the test instead of the run.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<string> _journal = new();
    private readonly CapturingLoggerFactory _logs = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly CancellationTokenSource _stop = new();

    public void Dispose()
    {
        _logs.Dispose();
        _output.Dispose();
        _error.Dispose();
        _stop.Dispose();
    }

    private FakeRole Role(string name) => new(name, _journal);

    private RoleHost Host(TimeSpan? stopTimeout, params FakeRole[] roles) => new("test", roles, _logs, _output, _error, stopTimeout);

    [Fact]
    public async Task RunAsync_StopRequested_StartsInOrderAndStopsInReverseOrder()
    {
        FakeRole[] roles = [Role("a"), Role("b"), Role("c")];
        using var host = Host(null, roles);

        var run = host.RunAsync(_stop.Token);
        await roles[2].StartCalled.Task.WaitAsync(Bound);
        await _stop.CancelAsync();
        var code = await run.WaitAsync(Bound);

        Assert.Equal(0, code);
        Assert.Equal(["start a", "start b", "start c", "stop c", "stop b", "stop a"], _journal);
        Assert.Empty(_error.ToString());
        Assert.All(roles, r => Assert.False(r.Health.Live));
    }

    [Fact]
    public async Task RunAsync_RoleFailsAtStart_StopsTheRolesStartedBeforeItAndExits1NamingIt()
    {
        FakeRole[] roles = [Role("a"), new FakeRole("b", _journal) { StartError = new RoleException("cannot listen on 127.0.0.1:8080: address in use") }, Role("c")];
        using var host = Host(null, roles);

        var code = await host.RunAsync(_stop.Token).WaitAsync(Bound);

        Assert.Equal(1, code);
        Assert.Equal(["start a", "start b", "stop a"], _journal);
        Assert.Equal("kpf test: b: cannot listen on 127.0.0.1:8080: address in use" + Environment.NewLine, _error.ToString());
    }

    [Fact]
    public async Task RunAsync_OneRoleFailsAtStart_ErrorNamesTheCommandOnly()
    {
        using var host = Host(null, new FakeRole("proxy", _journal) { StartError = new RoleException("cannot start: services.yaml: document 1: bad\nservices.yaml: document 2: bad too") });

        var code = await host.RunAsync(_stop.Token).WaitAsync(Bound);

        Assert.Equal(1, code);
        Assert.Equal($"kpf test: cannot start: services.yaml: document 1: bad{Environment.NewLine}kpf test: services.yaml: document 2: bad too{Environment.NewLine}",
            _error.ToString());
    }

    [Fact]
    public async Task RunAsync_UnexpectedStartException_Exits1WithItsTypeAndLogsIt()
    {
        using var host = Host(null, Role("a"), new FakeRole("b", _journal) { StartError = new InvalidOperationException("a bug") });

        var code = await host.RunAsync(_stop.Token).WaitAsync(Bound);

        Assert.Equal(1, code);
        Assert.Equal("kpf test: b: InvalidOperationException: a bug" + Environment.NewLine, _error.ToString());
        Assert.Contains("b failed to start", _logs.Messages);
    }

    [Fact]
    public async Task RunAsync_RoleFailsWhileRunning_StopsEveryRoleAndExits1WithItsError()
    {
        FakeRole[] roles = [Role("a"), Role("b"), Role("c")];
        using var host = Host(null, roles);
        var run = host.RunAsync(_stop.Token);
        await roles[2].StartCalled.Task.WaitAsync(Bound);
        await Eventually.True(() => roles[2].Context is not null, "c started");

        roles[1].Context!.Fail(new RoleException("lost its lease"));
        var code = await run.WaitAsync(Bound);

        Assert.Equal(1, code);
        Assert.Equal(["start a", "start b", "start c", "stop c", "stop b", "stop a"], _journal);
        Assert.Equal("kpf test: b: lost its lease" + Environment.NewLine, _error.ToString());
        Assert.Contains("b failed: lost its lease; stopping", _logs.Messages);
    }

    [Fact]
    public async Task RunAsync_StopHangs_RoleAbandonedAtTheDeadlineAndTheRolesBeforeItStillStopped()
    {
        FakeRole[] roles = [Role("a"), new FakeRole("b", _journal) { StopHangs = true }, Role("c")];
        using var host = Host(TimeSpan.FromMilliseconds(200), roles);
        var run = host.RunAsync(_stop.Token);
        await roles[2].StartCalled.Task.WaitAsync(Bound);

        await _stop.CancelAsync();
        var code = await run.WaitAsync(Bound);

        Assert.Equal(1, code);
        Assert.Equal(["start a", "start b", "start c", "stop c", "stop b", "stop a"], _journal);
        Assert.Contains(_logs.Messages, m => m.StartsWith("b did not stop: the stop deadline passed while it stopped; abandoned", StringComparison.Ordinal));
        Assert.Contains(_logs.Messages, m => m.StartsWith("a stopped", StringComparison.Ordinal));
        Assert.False(roles[0].Health.Live);
    }

    [Fact]
    public async Task RunAsync_StopRequestedDuringStart_CancelsTheStartAndStopsTheRolesStarted()
    {
        FakeRole[] roles = [Role("a"), new FakeRole("b", _journal) { StartHangs = true }, Role("c")];
        using var host = Host(null, roles);
        var run = host.RunAsync(_stop.Token);
        await roles[1].StartCalled.Task.WaitAsync(Bound);

        await _stop.CancelAsync();
        var code = await run.WaitAsync(Bound);

        Assert.Equal(0, code);
        Assert.Equal(["start a", "start b", "stop a"], _journal);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public async Task RunAsync_RoleNotReadyOnceStarted_SaysReadyOnceEveryRoleIs()
    {
        FakeRole[] roles = [Role("a"), new FakeRole("b", _journal) { HealthOnceStarted = RoleHealth.NotReady("waiting for the store") }];
        using var host = Host(null, roles);
        var run = host.RunAsync(_stop.Token);
        await Eventually.True(() => roles[1].Context is not null, "b started");

        var before = host.Health;
        roles[1].Become(RoleHealth.Serving);
        roles[1].Become(RoleHealth.Serving);
        var after = host.Health;
        await _stop.CancelAsync();
        await run.WaitAsync(Bound);

        Assert.Equal(RoleHealth.NotReady("b: waiting for the store"), before);
        Assert.Equal(RoleHealth.Serving, after);
        Assert.Equal(["ready: a, b"], _logs.Messages.Where(m => m.StartsWith("ready", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Print_SeveralRoles_PrefixesTheCommandAndTheRole()
    {
        FakeRole[] roles = [Role("a"), Role("b")];
        using var host = Host(null, roles);
        var run = host.RunAsync(_stop.Token);
        await Eventually.True(() => roles[1].Context is not null, "b started");

        roles[1].Context!.Print("serving http://127.0.0.1:8080");
        await _stop.CancelAsync();
        await run.WaitAsync(Bound);

        Assert.Equal("kpf test: b: serving http://127.0.0.1:8080" + Environment.NewLine, _output.ToString());
    }
}
