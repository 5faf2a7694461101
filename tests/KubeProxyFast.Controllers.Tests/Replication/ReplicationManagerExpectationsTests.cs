using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.Replication;

public sealed class ReplicationManagerExpectationsTests
{
    [Fact]
    public async Task Sync_PodWatchDelayed_NeverCreatesOrDeletesTwice()
    {
        await using var h = await ReplicationHarness.StartAsync(configure: f => f.DelayedWatches = target => target.Contains("/pods?", StringComparison.Ordinal));
        await using var seen = await PodHistory.StartAsync(h.Client);
        // Every pod event reaches the manager this late, while its own writes to the controller
        // (status) and the test's come back at once and make it sync again in between.
        h.Faults.WatchDelay = TimeSpan.FromMilliseconds(500);

        var rc = await h.CreateRcAsync("web", 5);
        await PokeAsync(h, 3);

        await h.WaitForStatusAsync("web", s => s.Replicas == 5, "the manager sees five pods");
        await Eventually.True(() => h.Manager.Expectations.Pending("default/web") == (0, 0), "expectations met", ReplicationHarness.Within);
        Assert.Equal(5, seen.Added.Count);

        await h.ScaleAsync("web", 2);
        await PokeAsync(h, 3);

        await h.WaitForStatusAsync("web", s => s.Replicas == 2, "the manager sees two pods");
        await Eventually.True(() => h.Manager.Expectations.Pending("default/web") == (0, 0), "expectations met", ReplicationHarness.Within);
        Assert.Equal(3, seen.Deleted.Count);
        Assert.Equal(5, seen.Added.Count);
        Assert.Equal(2, (await h.OwnedPodsAsync(rc)).Count);
    }

    /// <summary>Changes the controller's annotations: each change is an event that queues a sync.</summary>
    private static async Task PokeAsync(ReplicationHarness h, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await h.Client.PatchAsync<ReplicationController>(ReplicationHarness.Namespace, "web", PatchType.Merge,
                "{\"metadata\":{\"annotations\":{\"poke\":\"" + i + "\"}}}");
        }
    }

    /// <summary>Every pod ever added or deleted in the namespace, from a watch of the test's own (not delayed).</summary>
    private sealed class PodHistory : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _watch = Task.CompletedTask;

        public ConcurrentDictionary<string, byte> Added { get; } = new();

        public ConcurrentDictionary<string, byte> Deleted { get; } = new();

        public static async Task<PodHistory> StartAsync(KubeClient client)
        {
            var history = new PodHistory();
            var from = (await client.ListAsync<Pod>(ReplicationHarness.Namespace)).Metadata.ResourceVersion;
            history._watch = Task.Run(async () =>
            {
                await foreach (var e in client.WatchAsync<Pod>(ReplicationHarness.Namespace, new WatchOptions { ResourceVersion = from }, history._stop.Token))
                {
                    var set = e.Type switch { "ADDED" => history.Added, "DELETED" => history.Deleted, _ => null };
                    set?.TryAdd(e.Object.Metadata.Name!, 0);
                }
            });
            return history;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _watch;
            _stop.Dispose();
        }
    }
}
