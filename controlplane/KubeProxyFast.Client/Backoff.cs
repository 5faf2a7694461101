namespace KubeProxyFast.Client;

/// <summary>
/// Bounded exponential backoff with jitter: min, 2·min, 4·min … up to max, each stretched by up to
/// a quarter at random so that clients which failed together do not retry together.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan min, TimeSpan max)
    {
        _min = min > TimeSpan.Zero ? min : TimeSpan.FromMilliseconds(1);
        _max = max >= _min ? max : _min;
        _next = _min;
    }

    /// <summary>The delay before the next attempt; the one after is twice as long (up to the maximum).</summary>
    public TimeSpan Next()
    {
        var delay = _next;
        _next = _next * 2 < _max ? _next * 2 : _max;
#pragma warning disable CA5394 // jitter, not security
        var jittered = delay * (1 + (Random.Shared.NextDouble() / 4));
#pragma warning restore CA5394
        return jittered < _max ? jittered : _max;
    }

    /// <summary>After a success: the next failure waits the minimum again.</summary>
    public void Reset() => _next = _min;
}
