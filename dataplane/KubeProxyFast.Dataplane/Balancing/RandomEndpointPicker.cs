namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>
/// Uniform random choice, the seed kube-proxy's default. Each thread has its own xorshift64*
/// generator, so picking takes no lock, no interlocked operation and no allocation.
/// </summary>
public sealed class RandomEndpointPicker : IEndpointPicker
{
    // xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift generators", 2016):
    // passes BigCrush in its high 32 bits, which are the ones we use. Not cryptographic; nothing here
    // needs to be — a client can at worst guess which endpoint it lands on, as it can with DNAT rules.
    [ThreadStatic]
    private static ulong t_state;

    private RandomEndpointPicker()
    {
    }

    /// <summary>The one instance; it holds no state.</summary>
    public static RandomEndpointPicker Shared { get; } = new();

    /// <inheritdoc/>
    public int Pick(EndpointSet endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var count = endpoints.Count;
        return count <= 1 ? count - 1 : Reduce(NextUInt32(), count);
    }

    /// <inheritdoc/>
    public int PickExcept(EndpointSet endpoints, int excludedIndex)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var count = endpoints.Count;
        if ((uint)excludedIndex >= (uint)count || count == 1)
        {
            return Pick(endpoints);
        }

        // Uniform over the other count-1 endpoints: draw among them and step over the excluded one.
        var i = Reduce(NextUInt32(), count - 1);
        return i >= excludedIndex ? i + 1 : i;
    }

    /// <summary>Next 32 random bits from this thread's generator.</summary>
    internal static uint NextUInt32()
    {
        var x = t_state;
        if (x == 0)
        {
            x = Seed();
        }

        x = Step(x);
        t_state = x;
        return Output(x);
    }

    /// <summary>One step of the generator on caller-owned state, for deterministic tests.</summary>
    internal static uint NextUInt32(ref ulong state)
    {
        state = Step(state);
        return Output(state);
    }

    /// <summary>
    /// Maps 32 random bits onto [0, count) by multiply-shift (Lemire, "Fast Random Integer Generation
    /// in an Interval", 2019) without the rejection step: the bias is below count / 2^32, under one
    /// in four million for a thousand endpoints, far below what any test or client could observe.
    /// </summary>
    internal static int Reduce(uint random, int count) => (int)(((ulong)random * (uint)count) >> 32);

    private static ulong Step(ulong x)
    {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        return x;
    }

    private static uint Output(ulong x) => (uint)((x * 0x2545F4914F6CDD1DUL) >> 32);

    private static ulong Seed() => (ulong)Random.Shared.NextInt64() | 1; // xorshift state must not be 0
}
