using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Allocation;

/// <summary>
/// What a service write adds to its transaction: create-if-absent on each newly allocated cluster
/// IP or node port key, and deletes of released ones — so the object and its allocations commit
/// or fail together, and no crash can leak or double-book an address.
/// </summary>
internal sealed class ServiceAllocation
{
    /// <summary>Conditions: each new allocation key must be absent.</summary>
    public List<StoreCondition> Conditions { get; } = [];

    /// <summary>Puts of new allocation keys, deletes of released ones.</summary>
    public List<StoreOperation> Operations { get; } = [];

    /// <summary>Bits taken for this write, in the order of <see cref="Conditions"/>.</summary>
    public List<Taken> TakenBits { get; } = [];

    /// <summary>Bits to clear once the write commits.</summary>
    public List<(RangeBitmap Bitmap, int Offset)> ReleasedBits { get; } = [];

    /// <summary>One allocation this write makes.</summary>
    /// <param name="Bitmap">Cluster IPs or node ports.</param>
    /// <param name="Offset">The offset in the range.</param>
    /// <param name="Requested">True when the client asked for this value (a conflict is its error, not a retry).</param>
    /// <param name="Field">The field, for the error: <c>spec.clusterIP</c>, <c>spec.ports[0].nodePort</c>.</param>
    /// <param name="Value">The value as the client sees it.</param>
    internal sealed record Taken(RangeBitmap Bitmap, int Offset, bool Requested, string Field, string Value);
}
