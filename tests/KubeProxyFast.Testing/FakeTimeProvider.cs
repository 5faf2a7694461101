namespace KubeProxyFast.Testing;

/// <summary>A clock that moves only when a test says so; timestamps are TimeSpan ticks.</summary>
public sealed class FakeTimeProvider : TimeProvider
{
    // Start far from zero so that "now - lastUsed" arithmetic is exercised with real-looking values.
    private long _timestamp = TimeSpan.FromDays(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Volatile.Read(ref _timestamp);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _timestamp, by.Ticks);
}
