namespace KubeProxyFast.Kubelet.Pods.Status;

/// <summary>Times as the API keeps them: whole seconds, UTC.</summary>
internal static class StatusTimes
{
    /// <summary><paramref name="time"/> truncated to the second (metav1.Time's precision), in UTC.</summary>
    public static DateTimeOffset Seconds(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>A CRI time (nanoseconds since the Unix epoch), or null for 0 (never happened).</summary>
    public static DateTimeOffset? FromNanoseconds(long nanoseconds) =>
        nanoseconds <= 0 ? null : Seconds(DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100));
}
