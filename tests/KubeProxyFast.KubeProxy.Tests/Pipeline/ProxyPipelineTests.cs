using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Pipeline;
using KubeProxyFast.KubeProxy.Sources;
using KubeProxyFast.Testing;

namespace KubeProxyFast.KubeProxy.Tests.Pipeline;

/// <summary>The pipeline's timing on a fake clock: a burst of two syncs, then one per minimum period, and a periodic sync.</summary>
public sealed class ProxyPipelineTests
{
    [Fact]
    public async Task Changes_BeyondTheBurst_WaitForTheMinimumPeriodAndTheSyncPeriodSyncsAnyway()
    {
        var time = new FakeTimeProvider();
        var source = new CountingSource();
        await using var pipeline = new ProxyPipeline(source, new ProxyPipelineOptions
        {
            MinSyncPeriod = TimeSpan.FromSeconds(1),
            SyncPeriod = TimeSpan.FromSeconds(30),
        }, time: time);
        pipeline.Start();

        source.Change();
        await pipeline.WaitIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        source.Change();
        await pipeline.WaitIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, source.Syncs);

        // The third change within the second: no sync until the clock moves.
        source.Change();
        var idle = pipeline.WaitIdleAsync();
        await Task.WhenAny(idle, Task.Delay(300));
        Assert.False(idle.IsCompleted);
        Assert.Equal(2, source.Syncs);
        time.Advance(TimeSpan.FromSeconds(1));
        await pipeline.WaitIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, source.Syncs);

        // Nothing changes for a sync period: the periodic sync runs.
        time.Advance(TimeSpan.FromSeconds(30));
        // The sync is counted in the metrics after the source returns: wait for both.
        await Eventually.True(() => source.Syncs == 4 && pipeline.Metrics.Syncs == 4, "the periodic sync, counted");
        Assert.Equal(3, pipeline.Metrics.Changes);
    }

    /// <summary>A source whose every change is one applied change, received "now".</summary>
    private sealed class CountingSource : IProxySource
    {
        private Action? _changed;
        private int _pending;
        private int _syncs;

        public int Syncs => Volatile.Read(ref _syncs);

        public string Description => "counting";

        public ConfigLoadStatus? Status => null;

        public ProxySnapshot Serving => ProxySnapshot.Empty;

        public void Change()
        {
            Interlocked.Increment(ref _pending);
            _changed!();
        }

        public IReadOnlyList<DateTimeOffset> Sync()
        {
            Interlocked.Increment(ref _syncs);
            return [.. Enumerable.Repeat(DateTimeOffset.MinValue, Interlocked.Exchange(ref _pending, 0))];
        }

        public void StartWatching(Action changed) => _changed = changed;

        public void Dispose()
        {
        }
    }
}
