using System.Numerics;

namespace KubeProxyFast.Api.Resources;

/// <summary>
/// Integer helpers for <see cref="Quantity"/>'s mantissa × 10^exponent arithmetic. The
/// <see cref="long"/> and <see cref="Int128"/> paths cover every quantity a cluster really uses
/// without allocating; <see cref="BigInteger"/> is the exact fallback Kubernetes gets from inf.Dec.
/// </summary>
internal static class DecimalMath
{
    /// <summary>Largest n with 10^n in a <see cref="long"/>.</summary>
    public const int MaxInt64Power = 18;

    // An array rather than a ReadOnlySpan over constant data: unoptimised (Debug, tier-0) code
    // turns the latter's RuntimeHelpers.CreateSpan into a reflection call that allocates (measured).
    private static readonly long[] PowersOfTen =
    [
        1L,
        10L,
        100L,
        1_000L,
        10_000L,
        100_000L,
        1_000_000L,
        10_000_000L,
        100_000_000L,
        1_000_000_000L,
        10_000_000_000L,
        100_000_000_000L,
        1_000_000_000_000L,
        10_000_000_000_000L,
        100_000_000_000_000L,
        1_000_000_000_000_000L,
        10_000_000_000_000_000L,
        100_000_000_000_000_000L,
        1_000_000_000_000_000_000L,
    ];

    /// <summary>10^<paramref name="n"/> for 0 ≤ n ≤ <see cref="MaxInt64Power"/>.</summary>
    public static long Pow10(int n) => PowersOfTen[n];

    /// <summary>10^<paramref name="n"/> for any n ≥ 0 that fits an int; allocates.</summary>
    public static BigInteger Pow10Big(long n) => BigInteger.Pow(10, checked((int)n));

    /// <summary>
    /// An upper bound on the decimal digits of a non-zero magnitude of <paramref name="bitLength"/>
    /// bits: 2^b &lt; 10^(b/3 + 1). Lets callers settle "is this below 10^n" without building 10^n.
    /// </summary>
    public static long MaxDigits(long bitLength) => (bitLength / 3) + 1;

    /// <summary>A lower bound on the decimal digits of a non-zero magnitude of <paramref name="bitLength"/> bits.</summary>
    public static long MinDigits(long bitLength) => ((bitLength - 1) / 4) + 1;

    // Compared as BigIntegers: BigInteger's mixed operators with a long convert the long to a
    // BigInteger first, which allocates for anything outside the int range (measured: 32 B a call).
    private static readonly BigInteger Int64Min = long.MinValue;
    private static readonly BigInteger Int64Max = long.MaxValue;

    /// <summary>Returns the value as a <see cref="long"/> when it fits, without allocating.</summary>
    public static bool TryGetInt64(in BigInteger value, out long result)
    {
        if (value >= Int64Min && value <= Int64Max)
        {
            result = (long)value;
            return true;
        }

        result = 0;
        return false;
    }

    /// <summary>
    /// Divides a positive <paramref name="value"/> by 10^<paramref name="digits"/>, rounding any
    /// remainder up: Kubernetes rounds sub-nano input away from zero so that a request for "some"
    /// resource never becomes zero.
    /// </summary>
    public static BigInteger DivideRoundingUp(BigInteger value, long digits)
    {
        if (digits >= MaxDigits((long)value.GetBitLength()))
        {
            // 10^digits already exceeds value: the quotient is below one unit and rounds up to it.
            return BigInteger.One;
        }

        BigInteger quotient = BigInteger.DivRem(value, Pow10Big(digits), out BigInteger remainder);
        return remainder.IsZero ? quotient : quotient + BigInteger.One;
    }
}
