using System.Collections.Concurrent;
using KubeProxyFast.Client.WorkQueue;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Client.Tests.WorkQueue;

/// <summary><see cref="RateLimitingQueue{TKey}"/>: dedup, one worker per key, delays on a fake clock, shutdown.</summary>
public sealed class RateLimitingQueueTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private readonly FakeTimeProvider _clock = new();
    private readonly RateLimitingQueue<string> _queue;

    public RateLimitingQueueTests() => _queue = new RateLimitingQueue<string>(time: _clock);

    public void Dispose() => _queue.Dispose();

    [Fact]
    public async Task Add_SameKeyAgainBeforeItIsTaken_IsHandedOutOnceInFirstAddOrder()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("a");

        Assert.Equal(2, _queue.Count);
        Assert.Equal(("a", false), await _queue.GetAsync());
        Assert.Equal(("b", false), await _queue.GetAsync());
        Assert.False(_queue.GetAsync().IsCompleted);
    }

    [Fact]
    public async Task Add_KeyBeingProcessed_IsHeldUntilDone()
    {
        _queue.Add("a");
        var (key, _) = await _queue.GetAsync();
        _queue.Add("a");
        _queue.Add("a");
        var second = _queue.GetAsync();

        Assert.Equal(0, _queue.Count);
        Assert.False(second.IsCompleted);
        _queue.Done(key);

        Assert.Equal(("a", false), await second.WaitAsync(Within));
        _queue.Done("a");
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task GetAsync_FourWorkersReaddingKeys_NeverProcessOneKeyTwiceAtOnceAndLoseNoAdd()
    {
        var keys = Enumerable.Range(0, 8).Select(i => "k" + i).ToArray();
        var inFlight = new ConcurrentDictionary<string, int>();
        var final = new ConcurrentDictionary<string, bool>();
        var seenAfterFinal = new ConcurrentDictionary<string, bool>();
        var overlaps = 0;
        var processed = 0;
        async Task WorkerAsync()
        {
            while (true)
            {
                var (key, shuttingDown) = await _queue.GetAsync();
                if (shuttingDown)
                {
                    return;
                }

                if (inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                if (final.ContainsKey(key))
                {
                    seenAfterFinal[key] = true;
                }

                await Task.Yield();
                if (Interlocked.Increment(ref processed) % 3 == 0)
                {
                    _queue.Add(key); // re-added by its own worker: held until Done
                }

                await Task.Yield();
                inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
                _queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(WorkerAsync)).ToArray();
        for (var i = 0; i < 4000; i++)
        {
            _queue.Add(keys[i % keys.Length]);
            if (i % 50 == 0)
            {
                await Task.Yield();
            }
        }

        foreach (var key in keys)
        {
            final[key] = true;
            _queue.Add(key);
        }

        await Eventually.True(() => seenAfterFinal.Count == keys.Length, "every key processed after its last add", Within);
        await _queue.ShutDownWithDrainAsync().WaitAsync(Within);
        await Task.WhenAll(workers).WaitAsync(Within);

        Assert.Equal(0, overlaps);
        Assert.True(processed >= keys.Length);
    }

    [Fact]
    public async Task AddRateLimited_RepeatedFailures_WaitsDoublingFrom5msAndForgetStartsOver()
    {
        _queue.AddRateLimited("a");
        _clock.Advance(4 * Ms);
        Assert.Equal(0, _queue.Count);
        _clock.Advance(Ms);
        Assert.Equal(1, _queue.Count);
        await _queue.GetAsync();
        _queue.Done("a");

        _queue.AddRateLimited("a");
        _clock.Advance(9 * Ms);
        Assert.Equal(0, _queue.Count);
        _clock.Advance(Ms);
        Assert.Equal(1, _queue.Count);
        Assert.Equal(2, _queue.NumRequeues("a"));

        _queue.Forget("a");
        Assert.Equal(0, _queue.NumRequeues("a"));
        await _queue.GetAsync();
        _queue.Done("a");
        _queue.AddRateLimited("a");
        _clock.Advance(5 * Ms);
        Assert.Equal(1, _queue.Count);
    }

    [Fact]
    public void AddRateLimited_ManyKeys_OverallBucketOf10PerSecondBeyondBurst100()
    {
        for (var i = 0; i < 100; i++)
        {
            _queue.AddRateLimited("k" + i);
        }

        _queue.AddRateLimited("k100"); // the bucket's first debt: 100 ms
        _queue.AddRateLimited("k101"); // 200 ms
        _clock.Advance(5 * Ms);
        Assert.Equal(100, _queue.Count);
        _clock.Advance(94 * Ms);
        Assert.Equal(100, _queue.Count);
        _clock.Advance(Ms);
        Assert.Equal(101, _queue.Count);
        _clock.Advance(100 * Ms);

        Assert.Equal(102, _queue.Count);
    }

    [Fact]
    public void AddAfter_SameKeyTwice_KeepsTheEarlierTime()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));
        _queue.AddAfter("a", TimeSpan.FromSeconds(2));
        _queue.AddAfter("a", TimeSpan.FromSeconds(5));
        _queue.AddAfter("b", TimeSpan.Zero);

        Assert.Equal(1, _queue.Count);
        _clock.Advance(TimeSpan.FromSeconds(2) - Ms);
        Assert.Equal(1, _queue.Count);
        _clock.Advance(Ms);
        Assert.Equal(2, _queue.Count);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _queue.Count);
    }

    [Fact]
    public async Task ShutDown_WithQueuedAndDelayedKeys_HandsOutQueuedThenShuttingDownAndIgnoresAdds()
    {
        _queue.Add("a");
        _queue.AddAfter("later", TimeSpan.FromSeconds(1));
        _queue.ShutDown();
        _queue.Add("b");
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(_queue.IsShuttingDown);
        Assert.Equal(("a", false), await _queue.GetAsync());
        Assert.True((await _queue.GetAsync()).ShuttingDown);
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public async Task ShutDown_WaitingGetter_AnswersShuttingDown()
    {
        var getter = _queue.GetAsync();
        _queue.ShutDown();

        Assert.True((await getter.WaitAsync(Within)).ShuttingDown);
    }

    [Fact]
    public async Task ShutDownWithDrainAsync_KeyInFlight_CompletesAtItsDone()
    {
        _queue.Add("a");
        await _queue.GetAsync();
        var drained = _queue.ShutDownWithDrainAsync();

        Assert.False(drained.IsCompleted);
        _queue.Done("a");
        await drained.WaitAsync(Within);
    }

    [Fact]
    public async Task GetAsync_CancelledGetter_PassesTheKeyToTheNextGetter()
    {
        using var cancel = new CancellationTokenSource();
        var first = _queue.GetAsync(cancel.Token);
        var second = _queue.GetAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        _queue.Add("a");

        Assert.Equal(("a", false), await second.WaitAsync(Within));
    }
}
