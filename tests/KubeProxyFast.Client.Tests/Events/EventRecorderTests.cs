using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Events;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.Events;

/// <summary>The recorder against a real apiserver, on a fake clock.</summary>
public sealed class EventRecorderTests : ClientTestBase
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly EventSource Source = new() { Component = "replication-controller", Host = "node-1" };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    private async Task<List<Event>> EventsAsync() => [.. (await Client.ListAsync<Event>("default")).Items];

    [Fact]
    public async Task Event_RepeatedIdentically_OneEventWithCountLastTimestampAndSeries()
    {
        await using var recorder = new EventRecorder(Client, Source, _clock);
        var pod = await Client.CreateAsync(Objects.Pod("p"));

        recorder.Event(pod, "Warning", "BackOff", "restarting");
        await Eventually.True(() => recorder.Written == 1, "the first write", Bound);
        _clock.Advance(TimeSpan.FromSeconds(30));
        recorder.Event(pod, "Warning", "BackOff", "restarting");
        recorder.Event(pod, "Warning", "BackOff", "restarting");
        await Eventually.True(() => recorder.Written == 3, "the patches", Bound);

        var e = Assert.Single(await EventsAsync());
        Assert.Equal(3, e.Count);
        Assert.Equal(3, e.Series!.Count);
        Assert.Equal(_clock.GetUtcNow(), e.LastTimestamp);
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromSeconds(30), e.FirstTimestamp);
        Assert.Equal(("Pod", "p", pod.Metadata.Uid), (e.InvolvedObject.Kind, e.InvolvedObject.Name, e.InvolvedObject.Uid));
        Assert.Equal(("replication-controller", "node-1"), (e.Source!.Component, e.Source.Host));
        Assert.StartsWith("p.", e.Metadata.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_TenSimilarMessages_CombinedIntoOneAggregateEvent()
    {
        await using var recorder = new EventRecorder(Client, Source, _clock);
        var pod = await Client.CreateAsync(Objects.Pod("p"));

        for (var i = 0; i < 12; i++)
        {
            recorder.Event(pod, "Normal", "Pulled", $"image {i} pulled");
        }

        await Eventually.True(() => recorder.Written == 12, "every write", Bound);
        var events = await EventsAsync();
        // The first nine are written as they are; from the tenth on they are one combined event, counted.
        Assert.Equal(10, events.Count);
        var combined = Assert.Single(events, e => e.Message!.StartsWith("(combined from similar events): ", StringComparison.Ordinal));
        Assert.Equal(3, combined.Count);
        Assert.Equal("(combined from similar events): image 11 pulled", combined.Message);
    }

    [Fact]
    public async Task Event_MoreThanTheSpamBurst_DropsTheRestUntilATokenIsDue()
    {
        await using var recorder = new EventRecorder(Client, Source, _clock, new EventRecorderOptions { SpamBurst = 3 });
        var pod = await Client.CreateAsync(Objects.Pod("p"));

        for (var i = 0; i < 5; i++)
        {
            recorder.Event(pod, "Normal", "Reason" + i, "m");
        }

        await Eventually.True(() => recorder.Written == 3, "the burst", Bound);
        _clock.Advance(TimeSpan.FromMinutes(5));
        recorder.Event(pod, "Normal", "Later", "m");
        await Eventually.True(() => recorder.Written == 4, "the token after 5 minutes", Bound);

        Assert.Equal(["Later", "Reason0", "Reason1", "Reason2"], (await EventsAsync()).Select(e => e.Reason!).Order());
    }

    [Fact]
    public async Task Event_SpamBurstOfOneType_LeavesTheOtherTypesBucketFull()
    {
        await using var recorder = new EventRecorder(Client, Source, _clock, new EventRecorderOptions { SpamBurst = 2 });
        var pod = await Client.CreateAsync(Objects.Pod("p"));

        for (var i = 0; i < 3; i++)
        {
            recorder.Event(pod, "Normal", "Normal" + i, "m");
        }

        recorder.Event(pod, "Warning", "Warning0", "m");
        await Eventually.True(() => recorder.Written == 3, "two Normal events and the Warning", Bound);

        Assert.Equal(["Normal0", "Normal1", "Warning0"], (await EventsAsync()).Select(e => e.Reason!).Order());
    }

    [Fact]
    public async Task Event_QueueFull_NeverBlocksAndCountsTheDropped()
    {
        // An apiserver that does not answer: the writer waits on its first request, the queue of 2 fills.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        using var client = new KubeClient(new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}"));
        await using var recorder = new EventRecorder(client, Source, _clock, new EventRecorderOptions { QueueLength = 2 });
        var pod = Objects.Pod("p");

        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            recorder.Event(pod, "Normal", "Reason" + i, "m");
        }

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"100 events took {started.Elapsed}");
        await Eventually.True(() => recorder.Dropped >= 97, "the events past the queue to be dropped", Bound);
    }

    [Fact]
    public async Task Event_ServerAnswersAnError_IsDroppedWithoutRetrying()
    {
        // The namespace does not exist: the server answers 404. The fake clock never moves, so a
        // retry would wait for ever instead of dropping the event.
        await using var recorder = new EventRecorder(Client, Source, _clock);

        recorder.Event(Objects.Pod("p", "no-such-namespace"), "Warning", "Failed", "x");

        await Eventually.True(() => recorder.Dropped == 1, "the refused event to be dropped", Bound);
        Assert.Equal(0L, recorder.Written);
    }

    [Fact]
    public async Task Event_PatchedEventWasDeleted_IsCreatedAgainWithItsCount()
    {
        await using var recorder = new EventRecorder(Client, Source, _clock);
        var pod = await Client.CreateAsync(Objects.Pod("p"));
        recorder.Event(pod, "Warning", "Failed", "x");
        await Eventually.True(() => recorder.Written == 1, "the first write", Bound);
        var first = Assert.Single(await EventsAsync());
        await Client.DeleteAsync<Event>("default", first.Metadata.Name!);

        recorder.Event(pod, "Warning", "Failed", "x");
        await Eventually.True(() => recorder.Written == 2, "the second write", Bound);

        var again = Assert.Single(await EventsAsync());
        Assert.Equal((first.Metadata.Name, 2), (again.Metadata.Name, again.Count));
    }
}
