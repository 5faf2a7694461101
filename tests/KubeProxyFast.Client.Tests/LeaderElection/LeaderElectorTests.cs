using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Client.LeaderElection;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.LeaderElection;

/// <summary>
/// Leader election against a real in-process apiserver, with short durations (lease 1 s, renew
/// deadline 0.7 s, retry 0.2 s): one leader at a time over many transitions, takeover when the
/// leader goes silent, step-down of a leader cut off from the apiserver, immediate takeover after
/// a release.
/// </summary>
public sealed class LeaderElectorTests : ClientTestBase
{
    private const string Namespace = "kube-system";
    private const string LeaseName = "test-lock";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    private static LeaderElectionConfig Config(string identity) => new()
    {
        Namespace = Namespace,
        Name = LeaseName,
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(1),
        RenewDeadline = TimeSpan.FromMilliseconds(700),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public void Config_Defaults_AreKubernetes()
    {
        var config = new LeaderElectionConfig { Namespace = "ns", Name = "n", Identity = "i" };

        Assert.Equal(
            (TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)),
            (config.LeaseDuration, config.RenewDeadline, config.RetryPeriod));
    }

    [Theory]
    [InlineData(1000, 1000, 200)]
    [InlineData(1000, 700, 600)]
    [InlineData(1000, 700, 0)]
    public void Constructor_DurationsThatAllowTwoLeaders_Throw(int leaseMs, int renewMs, int retryMs)
    {
        var config = Config("a") with
        {
            LeaseDuration = TimeSpan.FromMilliseconds(leaseMs),
            RenewDeadline = TimeSpan.FromMilliseconds(renewMs),
            RetryPeriod = TimeSpan.FromMilliseconds(retryMs),
        };

        Assert.Throws<ArgumentException>(() => new LeaderElector(Client, config));
    }

    [Fact]
    public async Task Run_OneCandidate_CreatesLeaseAndRenewsIt()
    {
        var a = new Candidate(Client, Config("a"));
        var run = a.Elector.RunAsync(Stop.Token);

        await a.Started(Within);
        var first = await Client.GetAsync<Lease>(Namespace, LeaseName);
        await Eventually.True(async () => (await Client.GetAsync<Lease>(Namespace, LeaseName)).Spec!.RenewTime > first.Spec!.RenewTime, "a renewal", Within);
        var renewed = await Client.GetAsync<Lease>(Namespace, LeaseName);

        Assert.True(a.Elector.IsLeader);
        Assert.Equal(("a", 1, 0), (renewed.Spec!.HolderIdentity, renewed.Spec.LeaseDurationSeconds, renewed.Spec.LeaseTransitions));
        Assert.Equal(first.Spec!.AcquireTime, renewed.Spec.AcquireTime);
        Assert.Equal(["a"], a.Leaders);
        await Stop.CancelAsync();
        await run.WaitAsync(Within);
        Assert.True(a.WorkCancelled);
        Assert.False(a.Elector.IsLeader);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_LeaderCutOffFromApiserver_StepsDownAndOtherTakesOverAfterExpiry(bool refuse)
    {
        await using var relay = new TcpRelay(Server.Url);
        using var cutOffClient = new KubeClient(relay.Url);
        var a = new Candidate(cutOffClient, Config("a"));
        var b = new Candidate(Client, Config("b"));
        using var sampler = new LeaderSampler([a.Elector, b.Elector]);
        var runA = a.Elector.RunAsync(Stop.Token);
        await a.Started(Within);
        var runB = b.Elector.RunAsync(Stop.Token);
        await Eventually.True(() => b.Leaders.Contains("a"), "b sees a lead", Within);
        var lastRenewOfA = (await Client.GetAsync<Lease>(Namespace, LeaseName)).Spec!.RenewTime;

        if (refuse)
        {
            relay.Cut();
        }
        else
        {
            relay.Stall();
        }

        await runA.WaitAsync(Within);
        await b.Started(Within);
        var taken = await Client.GetAsync<Lease>(Namespace, LeaseName);

        Assert.True(a.WorkCancelled);
        Assert.NotNull(a.StoppedAt);
        Assert.False(a.Elector.IsLeader);
        Assert.True(b.Elector.IsLeader);
        Assert.Equal(("b", 1), (taken.Spec!.HolderIdentity, taken.Spec.LeaseTransitions));
        // b waited out a's lease: counted from a renewal it saw no earlier than a made it.
        Assert.True(taken.Spec.AcquireTime - lastRenewOfA >= TimeSpan.FromSeconds(1), $"taken at {taken.Spec.AcquireTime}, last renewed at {lastRenewOfA}");
        Assert.Equal(["a", "b"], b.Leaders);
        Assert.Equal(0, sampler.Overlaps);
        await Stop.CancelAsync();
        await runB.WaitAsync(Within);
    }

    [Fact]
    public async Task Run_CancelledWithReleaseOnCancel_OtherTakesOverBeforeTheLeaseWouldExpire()
    {
        var slow = TimeSpan.FromSeconds(30);
        var config = Config("a") with { LeaseDuration = slow, RenewDeadline = TimeSpan.FromSeconds(20), ReleaseOnCancel = true };
        var a = new Candidate(Client, config);
        var b = new Candidate(Client, config with { Identity = "b" });
        using var stopA = CancellationTokenSource.CreateLinkedTokenSource(Stop.Token);
        var runA = a.Elector.RunAsync(stopA.Token);
        await a.Started(Within);
        var runB = b.Elector.RunAsync(Stop.Token);
        await Eventually.True(() => b.Leaders.Contains("a"), "b sees a lead", Within);

        await stopA.CancelAsync();
        await runA.WaitAsync(Within);
        await b.Started(Within);
        var taken = await Client.GetAsync<Lease>(Namespace, LeaseName);

        Assert.True(a.WorkCancelled);
        Assert.Equal(("b", 1, 30), (taken.Spec!.HolderIdentity, taken.Spec.LeaseTransitions, taken.Spec.LeaseDurationSeconds));
        Assert.True(taken.Spec.AcquireTime - a.StoppedAt < slow, $"taken at {taken.Spec.AcquireTime}, released at {a.StoppedAt}");
        await Stop.CancelAsync();
        await runB.WaitAsync(Within);
    }

    [Fact]
    public async Task Run_ThreeCandidatesSteppingDownRepeatedly_NeverTwoLeadersAndEveryTransitionCounted()
    {
        const int Terms = 6;
        var terms = 0;
        var leaders = new HashSet<string>();
        var current = new LeaderElector?[3];
        using var sampler = new LeaderSampler(() => current);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(Stop.Token);

        // Each candidate stands again and again, with a new identity each time (a restarted
        // process); a leader leads briefly, then steps down: by releasing every other term, else
        // by going silent so that the others wait out its lease. One that stepped down stands
        // again only once another leads: on a loaded machine the first candidate could otherwise
        // win every term, its retry coming round before the others'.
        async Task Stand(int index)
        {
            for (var round = 0; !done.IsCancellationRequested; round++)
            {
                using var term = CancellationTokenSource.CreateLinkedTokenSource(done.Token);
                var identity = $"c{index}-{round}";
                var led = false;
                var elector = new LeaderElector(Client, Config(identity) with
                {
                    ReleaseOnCancel = round % 2 == 0,
                    OnStartedLeading = async token =>
                    {
                        led = true;
                        lock (leaders)
                        {
                            leaders.Add("c" + index);
                        }

                        if (Interlocked.Increment(ref terms) >= Terms)
                        {
                            await done.CancelAsync();
                            return;
                        }

                        await Task.Delay(TimeSpan.FromMilliseconds(300), token);
                        await term.CancelAsync();
                    },
                });
                current[index] = elector;
                await elector.RunAsync(term.Token);
                if (led)
                {
                    await Eventually.True(
                        () => done.IsCancellationRequested || current.Where((e, i) => i != index).Any(e => e?.IsLeader == true),
                        "another candidate to lead", TimeSpan.FromSeconds(30));
                }
            }
        }

        var candidates = Enumerable.Range(0, 3).Select(i => Task.Run(() => Stand(i))).ToArray();
        await Task.WhenAll(candidates).WaitAsync(TimeSpan.FromSeconds(60));
        var lease = await Client.GetAsync<Lease>(Namespace, LeaseName);

        Assert.Equal(0, sampler.Overlaps);
        Assert.True(sampler.Samples > 100, $"only {sampler.Samples} samples");
        Assert.True(leaders.Count >= 2, "one candidate led every term: " + string.Join(", ", leaders));
        Assert.True(Volatile.Read(ref terms) >= Terms);
        // Every term but the first took the lease from another identity.
        Assert.Equal(Volatile.Read(ref terms) - 1, lease.Spec!.LeaseTransitions);
    }
}
