namespace KubeProxyFast.Storage;

/// <summary>The one rounding of a lease's time to live, for both backends.</summary>
internal static class LeaseSeconds
{
    /// <summary>A lease's time to live in etcd's whole seconds, rounded up.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public static long Of(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return (long)Math.Ceiling(ttl.TotalSeconds);
    }
}
