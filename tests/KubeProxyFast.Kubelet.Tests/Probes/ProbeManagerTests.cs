using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Kubelet.Probes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Probes;

public sealed class ProbeManagerTests : IAsyncLifetime
{
    private const string PodUid = "pod-uid-1";
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedProber _prober = new();
    private readonly ProbeManager _manager;
    private readonly List<ProbeFailure> _failures = [];
    private readonly List<string> _changes = [];

    public ProbeManagerTests()
    {
        _manager = new ProbeManager(_prober, _time);
        _manager.LivenessFailed += f =>
        {
            lock (_failures)
            {
                _failures.Add(f);
            }
        };
        _manager.ResultsChanged += uid =>
        {
            lock (_changes)
            {
                _changes.Add(uid);
            }
        };
    }

    private int Failures
    {
        get
        {
            lock (_failures)
            {
                return _failures.Count;
            }
        }
    }

    private int Changes
    {
        get
        {
            lock (_changes)
            {
                return _changes.Count;
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _manager.DisposeAsync();

    [Fact]
    public void NoProbes_ReadyAndStartedOnceRunning()
    {
        var container = new Container { Name = "app" };

        _manager.UpdateContainer(PodOf(container), container, "c1", _time.GetUtcNow(), "198.18.0.10");

        Assert.True(_manager.IsReady("c1"));
        Assert.True(_manager.IsStarted("c1"));
        Assert.Equal(0, _manager.Workers);
    }

    [Fact]
    public async Task Readiness_FlipsAtTheThresholdsBothWays()
    {
        var readiness = new Probe { PeriodSeconds = 10, SuccessThreshold = 2, FailureThreshold = 3 };
        var container = new Container { Name = "app", ReadinessProbe = readiness };
        _prober.Answer(readiness, ProbeOutcome.Success);
        _manager.UpdateContainer(PodOf(container), container, "c1", _time.GetUtcNow(), "198.18.0.10");
        Assert.False(_manager.IsReady("c1"));
        Assert.True(_manager.IsStarted("c1"));

        await Tick(TimeSpan.Zero);
        Assert.Equal(1, _prober.Calls(readiness));
        Assert.False(_manager.IsReady("c1"));

        await Tick(Period);
        Assert.True(_manager.IsReady("c1"));
        Assert.Equal(1, Changes);

        _prober.Answer(readiness, ProbeOutcome.Failure);
        await Tick(Period);
        await Tick(Period);
        Assert.True(_manager.IsReady("c1"));
        await Tick(Period);
        Assert.False(_manager.IsReady("c1"));
        Assert.Equal(2, Changes);
        await Tick(Period);
        Assert.Equal(2, Changes);

        _prober.Answer(readiness, ProbeOutcome.Success);
        await Tick(Period);
        Assert.False(_manager.IsReady("c1"));
        await Tick(Period);
        Assert.True(_manager.IsReady("c1"));
        Assert.Equal(3, Changes);
        Assert.Equal(8, _prober.Calls(readiness));
        Assert.All(_changes, uid => Assert.Equal(PodUid, uid));
        Assert.Equal(0, Failures);
    }

    [Fact]
    public async Task Readiness_DefaultPeriodIsTenSeconds()
    {
        var readiness = new Probe();
        var container = new Container { Name = "app", ReadinessProbe = readiness };
        _manager.UpdateContainer(PodOf(container), container, "c1", _time.GetUtcNow(), "198.18.0.10");
        await Tick(TimeSpan.Zero);

        _time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(50);
        Assert.Equal(1, _prober.Calls(readiness));
        await Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _prober.Calls(readiness));
    }

    [Fact]
    public async Task InitialDelay_CountsFromTheContainerStart()
    {
        var readiness = new Probe { InitialDelaySeconds = 15, PeriodSeconds = 10 };
        var container = new Container { Name = "app", ReadinessProbe = readiness };
        _prober.Answer(readiness, ProbeOutcome.Success);
        // The pod worker saw the container 5 s after it started: the first probe is 10 s away.
        var startedAt = _time.GetUtcNow() - TimeSpan.FromSeconds(5);
        _manager.UpdateContainer(PodOf(container), container, "c1", startedAt, "198.18.0.10");

        _time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(50);
        Assert.Equal(0, _prober.Calls(readiness));
        await Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _prober.Calls(readiness));
        Assert.True(_manager.IsReady("c1"));
    }

    [Fact]
    public async Task Liveness_FailingThreshold_CallsBackOnceForTheInstance()
    {
        var liveness = new Probe { PeriodSeconds = 10, FailureThreshold = 3 };
        var container = new Container { Name = "app", LivenessProbe = liveness };
        _manager.UpdateContainer(PodOf(container), container, "c1", _time.GetUtcNow(), "198.18.0.10");

        // fail, fail, success: the run is broken and starts again.
        await Tick(TimeSpan.Zero);
        await Tick(Period);
        _prober.Answer(liveness, ProbeOutcome.Success);
        await Tick(Period);
        _prober.Answer(liveness, ProbeOutcome.Failure);
        await Tick(Period);
        await Tick(Period);
        Assert.Equal(0, Failures);

        await Tick(Period);
        var failure = Assert.Single(_failures);
        Assert.Equal(new ProbeFailure(PodUid, "app", "c1", ProbeKind.Liveness, "Failure from c1"), failure);
        Assert.Equal("Container app failed liveness probe, will be restarted", failure.Reason);
        Assert.True(_manager.IsReady("c1"));

        // The worker is on hold: no more probes, no more callbacks, until a new instance.
        await Eventually.True(() => _manager.Workers == 0, "the liveness worker stopped");
        _time.Advance(Period * 5);
        await Task.Delay(50);
        Assert.Equal(6, _prober.Calls(liveness));
        Assert.Equal(1, Failures);
    }

    [Fact]
    public async Task RestartedContainer_StartsOverWithItsOwnVerdicts()
    {
        var liveness = new Probe { PeriodSeconds = 10, FailureThreshold = 1 };
        var readiness = new Probe { PeriodSeconds = 10 };
        var container = new Container { Name = "app", LivenessProbe = liveness, ReadinessProbe = readiness };
        var pod = PodOf(container);
        _prober.Answer(readiness, ProbeOutcome.Success);
        _manager.UpdateContainer(pod, container, "c1", _time.GetUtcNow(), "198.18.0.10");
        await Tick(TimeSpan.Zero, ticks: 2);
        Assert.True(_manager.IsReady("c1"));
        Assert.Equal("c1", Assert.Single(_failures).ContainerId);

        // Same instance again (the next sync): nothing restarts.
        _manager.UpdateContainer(pod, container, "c1", _time.GetUtcNow(), "198.18.0.10");
        await Eventually.True(() => _manager.Workers == 1, "only the readiness worker runs");

        _manager.UpdateContainer(pod, container, "c2", _time.GetUtcNow(), "198.18.0.10");
        Assert.False(_manager.IsReady("c2"));
        await Tick(TimeSpan.Zero, ticks: 2);
        Assert.True(_manager.IsReady("c2"));
        Assert.Equal(["c1", "c2"], _failures.Select(f => f.ContainerId));
    }

    [Fact]
    public async Task StartupProbe_GatesLivenessAndReadinessUntilItPasses()
    {
        var startup = new Probe { PeriodSeconds = 5, FailureThreshold = 10 };
        var liveness = new Probe { PeriodSeconds = 10, FailureThreshold = 1 };
        var readiness = new Probe { PeriodSeconds = 10 };
        var container = new Container { Name = "app", StartupProbe = startup, LivenessProbe = liveness, ReadinessProbe = readiness };
        _prober.Answer(readiness, ProbeOutcome.Success);
        _manager.UpdateContainer(PodOf(container), container, "c1", _time.GetUtcNow(), "198.18.0.10");
        Assert.False(_manager.IsStarted("c1"));
        Assert.False(_manager.IsReady("c1"));

        // t=0: all three tick; only startup probes (and fails).
        await Tick(TimeSpan.Zero, ticks: 3);
        // t=5: startup; t=10: all three.
        await Tick(TimeSpan.FromSeconds(5));
        await Tick(TimeSpan.FromSeconds(5), ticks: 3);
        Assert.Equal(3, _prober.Calls(startup));
        Assert.Equal(0, _prober.Calls(liveness));
        Assert.Equal(0, _prober.Calls(readiness));
        Assert.False(_manager.IsStarted("c1"));
        Assert.False(_manager.IsReady("c1"));
        Assert.Equal(0, Failures);

        // t=15: startup passes, and readiness is probed at once rather than at t=20.
        _prober.Answer(startup, ProbeOutcome.Success);
        _prober.Answer(liveness, ProbeOutcome.Success);
        await Tick(TimeSpan.FromSeconds(5), ticks: 2);
        Assert.True(_manager.IsStarted("c1"));
        Assert.Equal(1, _prober.Calls(readiness));
        Assert.True(_manager.IsReady("c1"));
        Assert.Equal(2, Changes);

        // t=20: liveness and readiness; the startup worker has finished.
        await Tick(TimeSpan.FromSeconds(5), ticks: 2);
        Assert.Equal(4, _prober.Calls(startup));
        Assert.Equal(1, _prober.Calls(liveness));
        Assert.Equal(2, _prober.Calls(readiness));
        Assert.Equal(2, _manager.Workers);
        Assert.Equal(0, Failures);
    }

    [Fact]
    public async Task StartupProbe_FailingThreshold_CallsBackForARestart()
    {
        var startup = new Probe { PeriodSeconds = 10, FailureThreshold = 2 };
        var liveness = new Probe { PeriodSeconds = 10 };
        var container = new Container { Name = "app", StartupProbe = startup, LivenessProbe = liveness };
        _manager.UpdateContainer(PodOf(container), container, "c1", _time.GetUtcNow(), "198.18.0.10");

        await Tick(TimeSpan.Zero, ticks: 2);
        Assert.Equal(0, Failures);
        await Tick(Period, ticks: 2);

        var failure = Assert.Single(_failures);
        Assert.Equal(ProbeKind.Startup, failure.Kind);
        Assert.Equal("Container app failed startup probe, will be restarted", failure.Reason);
        Assert.False(_manager.IsStarted("c1"));
        Assert.Equal(0, _prober.Calls(liveness));
    }

    [Fact]
    public async Task UnknownResults_CountNeitherWay()
    {
        var readiness = new Probe { PeriodSeconds = 10, FailureThreshold = 2 };
        var container = new Container { Name = "app", ReadinessProbe = readiness };
        _prober.Answer(readiness, ProbeOutcome.Success);
        _manager.UpdateContainer(PodOf(container), container, "c1", _time.GetUtcNow(), "198.18.0.10");
        await Tick(TimeSpan.Zero);
        Assert.True(_manager.IsReady("c1"));

        _prober.Answer(readiness, ProbeOutcome.Failure);
        await Tick(Period);
        _prober.Answer(readiness, ProbeOutcome.Unknown);
        await Tick(Period);
        await Tick(Period);
        Assert.True(_manager.IsReady("c1"));
        _prober.Answer(readiness, ProbeOutcome.Failure);
        await Tick(Period);
        Assert.False(_manager.IsReady("c1"));
    }

    [Fact]
    public async Task RemovePod_StopsWorkersAndNoCallbackFollows()
    {
        var liveness = new Probe { PeriodSeconds = 10, FailureThreshold = 1 };
        var readiness = new Probe { PeriodSeconds = 10 };
        var container = new Container { Name = "app", LivenessProbe = liveness, ReadinessProbe = readiness };
        _prober.Answer(readiness, ProbeOutcome.Success);
        _manager.UpdateContainer(PodOf(container), container, "c1", _time.GetUtcNow(), "198.18.0.10");

        // Both probes in flight when the pod goes; their failure and success arrive after.
        _prober.Hold();
        _time.Advance(TimeSpan.Zero);
        await Eventually.True(() => _prober.Calls(liveness) == 1 && _prober.Calls(readiness) == 1, "both probes started");
        _manager.RemovePod(PodUid);
        _prober.Release();

        await Eventually.True(() => _manager.Workers == 0, "the workers stopped");
        _time.Advance(Period * 3);
        await Task.Delay(50);
        Assert.Equal(0, Failures);
        Assert.Equal(0, Changes);
        Assert.Equal(1, _prober.Calls(liveness));
        Assert.Equal(1, _prober.Calls(readiness));
        Assert.Equal(0, _time.ActiveTimers);
    }

    [Fact]
    public async Task RemoveContainer_StopsOnlyThatContainer()
    {
        var first = new Probe { PeriodSeconds = 10 };
        var second = new Probe { PeriodSeconds = 10 };
        var app = new Container { Name = "app", ReadinessProbe = first };
        var sidecar = new Container { Name = "sidecar", ReadinessProbe = second };
        var pod = PodOf(app, sidecar);
        _manager.UpdateContainer(pod, app, "c1", _time.GetUtcNow(), "198.18.0.10");
        _manager.UpdateContainer(pod, sidecar, "c2", _time.GetUtcNow(), "198.18.0.10");
        await Tick(TimeSpan.Zero, ticks: 2);

        _manager.RemoveContainer(PodUid, "app");
        await Eventually.True(() => _manager.Workers == 1, "the app's worker stopped");
        await Tick(Period);

        Assert.Equal(1, _prober.Calls(first));
        Assert.Equal(2, _prober.Calls(second));
    }

    /// <summary>Advances the clock by <paramref name="by"/> and waits until <paramref name="ticks"/> worker ticks have been handled.</summary>
    private async Task Tick(TimeSpan by, int ticks = 1)
    {
        var expected = _manager.Ticks + ticks;
        _time.Advance(by);
        await Eventually.True(() => _manager.Ticks >= expected, $"{ticks} probe tick(s)");
        // Nothing more than expected: a stray tick would break the counts the test asserts.
        await Task.Delay(10);
        Assert.Equal(expected, _manager.Ticks);
    }

    private static Pod PodOf(params Container[] containers) => new()
    {
        Metadata = new ObjectMeta { Name = "web", Namespace = "default", Uid = PodUid },
        Spec = new PodSpec { Containers = [.. containers] },
    };
}
