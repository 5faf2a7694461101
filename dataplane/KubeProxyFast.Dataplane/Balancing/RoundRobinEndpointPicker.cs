namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>
/// Strict rotation over one service port's endpoints, as the userspace proxier's LoadBalancerRR did.
/// One instance per service port owns the counter; every pick takes the next ticket with
/// <see cref="Interlocked.Increment(ref long)"/>, so concurrent callers never share a ticket and over
/// any k·n consecutive tickets each of n endpoints is chosen exactly k times.
/// </summary>
/// <remarks>
/// When the set changes size the rotation simply continues modulo the new count; the userspace
/// proxier reset its index to 0 instead, which we do not need because the ticket is not an index.
/// A 64-bit counter never wraps in practice (2^63 picks), so the rotation never stutters.
/// </remarks>
public sealed class RoundRobinEndpointPicker : IEndpointPicker
{
    private long _next;

    /// <summary>Creates a picker whose first pick is index <paramref name="start"/> modulo the count.</summary>
    public RoundRobinEndpointPicker(long start = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        _next = start;
    }

    /// <inheritdoc/>
    public int Pick(EndpointSet endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var count = endpoints.Count;
        return count <= 1 ? count - 1 : NextIndex(count);
    }

    /// <inheritdoc/>
    public int PickExcept(EndpointSet endpoints, int excludedIndex)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var count = endpoints.Count;
        if (count <= 1)
        {
            return count - 1;
        }

        // Landing on the excluded endpoint means its turn has come; give that turn to its successor
        // rather than taking a second ticket, so each call consumes exactly one step of the rotation.
        var i = NextIndex(count);
        return i == excludedIndex ? (i + 1) % count : i;
    }

    private int NextIndex(int count) =>
        (int)((ulong)(Interlocked.Increment(ref _next) - 1) % (uint)count);
}
