using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Client.Tests;

/// <summary>LIST paging and selection, and streamed WATCH, of <see cref="KubeClient"/> against a real apiserver.</summary>
public sealed class KubeClientListWatchTests : ClientTestBase
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ListAsync_WithLimit_PagesThroughAllAtOneVersion()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.CreateAsync(Objects.Pod($"p{i}"));
        }

        var names = new List<string>();
        var versions = new HashSet<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await Client.ListAsync<Pod>("default", new ListOptions { Limit = 2, Continue = next });
            names.AddRange(page.Items.Select(p => p.Metadata.Name!));
            versions.Add(page.Metadata.ResourceVersion!);
            next = page.Metadata.Continue;
            pages++;
        }
        while (!string.IsNullOrEmpty(next));

        Assert.Equal(3, pages);
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], names);
        Assert.Single(versions);
    }

    [Fact]
    public async Task ListAsync_LabelSelector_ReturnsTypedListOfMatches()
    {
        await Client.CreateAsync(Objects.Pod("a", labels: new() { ["app"] = "web" }));
        await Client.CreateAsync(Objects.Pod("b", labels: new() { ["app"] = "db" }));

        var list = await Client.ListAsync<Pod>(null, new ListOptions { LabelSelector = "app=web" });

        Assert.IsType<PodList>(list);
        Assert.Equal("a", Assert.Single(list.Items).Metadata.Name);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task WatchAsync_FromListVersion_SeesAddedModifiedDeletedInOrder()
    {
        var list = await Client.ListAsync<Pod>("default");
        using var cts = new CancellationTokenSource(Bound);
        var events = new List<KubeWatchEvent<Pod>>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in Client.WatchAsync<Pod>("default", new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion }, cts.Token))
            {
                events.Add(e);
                if (events.Count == 3)
                {
                    return;
                }
            }
        });

        var created = await Client.CreateAsync(Objects.Pod("web"));
        created.Metadata.Labels = new() { ["v"] = "1" };
        var updated = await Client.UpdateAsync(created);
        await Client.DeleteAsync<Pod>("default", "web");
        await watching;

        Assert.Equal([WatchEventTypes.Added, WatchEventTypes.Modified, WatchEventTypes.Deleted], events.Select(e => e.Type));
        Assert.Equal(updated.Metadata.ResourceVersion, events[1].Object.Metadata.ResourceVersion);
        Assert.All(events, e => Assert.Equal("web", e.Object.Metadata.Name));
    }

    [Fact]
    public async Task WatchAsync_ServerTimeout_EndsEnumeration()
    {
        using var cts = new CancellationTokenSource(Bound);
        var count = 0;
        await foreach (var e in Client.WatchAsync<Pod>("default", new WatchOptions { TimeoutSeconds = 1 }, cts.Token))
        {
            count++;
        }

        Assert.False(cts.IsCancellationRequested);
        Assert.Equal(0, count);
    }

    [Fact]
    public async Task WatchAsync_CallerCancels_EndsWithoutException()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await foreach (var e in Client.WatchAsync<Pod>("default", null, cts.Token))
        {
            Assert.Fail("no pods exist");
        }

        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public async Task WatchAsync_CompactedVersion_ThrowsGone()
    {
        var first = await Client.CreateAsync(Objects.Pod("a"));
        await Client.CreateAsync(Objects.Pod("b"));
        var third = await Client.CreateAsync(Objects.Pod("c"));
        // Compaction at R keeps revision R: a watch after first needs first+1 (b's revision), which is gone.
        await Server.Store.CompactAsync(long.Parse(third.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));

        var error = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var e in Client.WatchAsync<Pod>("default", new WatchOptions { ResourceVersion = first.Metadata.ResourceVersion, TimeoutSeconds = 5 }))
            {
                Assert.Fail("a compacted watch yields nothing");
            }
        });

        Assert.True(error.IsGone);
        Assert.Equal(410, error.Code);
    }
}
