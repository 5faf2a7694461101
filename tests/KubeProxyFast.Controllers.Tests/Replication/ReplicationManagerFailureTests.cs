using System.Net;
using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Storage;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.Replication;

public sealed class ReplicationManagerFailureTests
{
    private const string QuotaMessage = "pods \"web-\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=3, limited: pods=3";

    [Fact]
    public async Task Create_QuotaRefusesCreates_SlowStartStopsAtTheFirstFailedBatch()
    {
        // Retries wait on a clock that only the test moves, so every create attempt is one the
        // manager made on an event, never on a timer.
        var time = new FakeTimeProvider();
        var creates = new PodCreates(allowed: 3);
        await using var h = await ReplicationHarness.StartAsync(time: time, configure: f => f.Answer = creates.Answer);

        var rc = await h.CreateRcAsync("web", 100);

        var failing = await h.WaitForStatusAsync("web", s => s.Conditions?.Exists(c => c.Type == "ReplicaFailure") == true && s.Replicas == 3,
            "ReplicaFailure and three replicas");
        var condition = Assert.Single(failing.Status!.Conditions!);
        Assert.Equal(("True", "FailedCreate", QuotaMessage), (condition.Status, condition.Reason, condition.Message));
        await h.WaitForOwnedAsync(rc, 3);
        // The first sync sent batches of 1, 2 and 4 (3 made it, 4 refused) and stopped; each sync
        // the watch's events caused since sends one create that fails. Without slow start the
        // first sync alone would have sent 100.
        Assert.InRange(creates.Attempts, 7, 7 + 5);
        var events = await h.EventsAsync(rc);
        Assert.Contains(events, e => e.Reason == "FailedCreate" && e.Type == "Warning" && e.Message == "Error creating: " + QuotaMessage);
        Assert.Equal(3, events.Count(e => e.Reason == "SuccessfulCreate"));

        // The failed sync is retried after the queue's backoff, one create at a time.
        var before = creates.Attempts;
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => creates.Attempts > before, "a retry after the backoff", ReplicationHarness.Within);
        Assert.Equal(3, (await h.PodsAsync()).Count);
    }

    [Fact]
    public async Task Create_NamespaceTerminating_NoEventNoConditionAndNoRetryUntilExpectationsExpire()
    {
        var time = new FakeTimeProvider();
        var creates = new PodCreates(allowed: 0, refusal: NamespaceTerminating);
        await using var h = await ReplicationHarness.StartAsync(time: time, configure: f => f.Answer = creates.Answer);
        var rc = await h.CreateRcAsync("web", 3);
        await Eventually.True(() => creates.Attempts == 3, "three creates attempted", ReplicationHarness.Within);

        // Spec changes make the manager sync again (each shows as observedGeneration): it still
        // waits for the three creates it counts as done (Kubernetes treats this refusal as
        // success), so it sends nothing.
        for (var i = 1; i <= 3; i++)
        {
            await h.Client.PatchAsync<ReplicationController>(ReplicationHarness.Namespace, "web", PatchType.Merge,
                $$$"""{"spec":{"minReadySeconds":{{{i}}}}}""");
        }

        await h.WaitForStatusAsync("web", s => s.ObservedGeneration == 4, "the last spec change observed");
        Assert.Equal(3, creates.Attempts);
        Assert.Empty((await h.RcAsync("web")).Status!.Conditions ?? []);
        Assert.DoesNotContain(await h.EventsAsync(rc), e => e.Reason == "FailedCreate");

        // Once the expectations expire (5 minutes), the manager tries again.
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await Eventually.True(() => creates.Attempts == 6, "three more creates after the expectations expired", ReplicationHarness.Within);
    }

    [Fact]
    public async Task Create_SelectorNotMatchingTemplate_FailedCreateAndNoPods()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var rc = await h.CreateRcAsync("odd", 0);
        // Validation refuses such a controller: written straight to the store, as a bad migration might.
        const string Key = "/registry/replicationcontrollers/default/odd";
        Assert.NotNull(await h.Server.Store.GetAsync(Key));
        var json = """{"kind":"ReplicationController","apiVersion":"v1","metadata":{"name":"odd","namespace":"default","uid":"UID","generation":2,"creationTimestamp":"2026-12-06T10:00:00Z"},"spec":{"replicas":2,"selector":{"app":"odd"},"template":{"metadata":{"labels":{"app":"other"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}""".Replace("UID", rc.Metadata.Uid, StringComparison.Ordinal);
        await h.Server.Store.CommitAsync(new StoreTxn([], [new StorePut(Key, Encoding.UTF8.GetBytes(json))]));

        await Eventually.True(async () => (await h.EventsAsync(rc)).Exists(e => e.Reason == "FailedCreate"), "a FailedCreate event", ReplicationHarness.Within);

        Assert.Equal("Error creating: `selector` does not match template `labels`", (await h.EventsAsync(rc)).First(e => e.Reason == "FailedCreate").Message);
        Assert.Empty(await h.PodsAsync());
    }

    private static HttpResponseMessage NamespaceTerminating() => Refusal(
        """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"web-\" is forbidden: unable to create new content in namespace default because it is being terminated","reason":"Forbidden","details":{"kind":"pods","causes":[{"reason":"NamespaceTerminating","message":"namespace default is being terminated","field":"metadata.namespace"}]},"code":403}""");

    private static HttpResponseMessage Quota() => Refusal(
        $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"{{QuotaMessage.Replace("\"", "\\\"", StringComparison.Ordinal)}}","reason":"Forbidden","details":{"kind":"pods"},"code":403}""");

    private static HttpResponseMessage Refusal(string status) =>
        new(HttpStatusCode.Forbidden) { Content = new StringContent(status, Encoding.UTF8, "application/json") };

    /// <summary>Lets <c>allowed</c> pod creates through and refuses the rest, as a ResourceQuota of that many pods would.</summary>
    private sealed class PodCreates(int allowed, Func<HttpResponseMessage>? refusal = null)
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public HttpResponseMessage? Answer(HttpRequestMessage request)
        {
            if (request.Method != HttpMethod.Post || !request.RequestUri!.OriginalString.EndsWith("/pods", StringComparison.Ordinal))
            {
                return null;
            }

            return Interlocked.Increment(ref _attempts) <= allowed ? null : (refusal ?? Quota)();
        }
    }
}
