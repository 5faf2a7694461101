using System.Numerics;
using System.Text.Json.Serialization;

namespace KubeProxyFast.Api.Resources;

/// <summary>
/// A Kubernetes resource quantity (<c>k8s.io/apimachinery/pkg/api/resource.Quantity</c>):
/// an exact decimal such as <c>100m</c>, <c>64Mi</c> or <c>1e3</c>, never a floating-point number.
/// </summary>
/// <remarks>
/// <para>
/// The value is held as an integer mantissa times a power of ten, kept normalised (no trailing
/// zero in the mantissa), so equal values have equal fields: equality and hashing ignore
/// <see cref="Format"/>, as Kubernetes' <c>Equal</c> does (<c>1Ki == 1024</c>).
/// </para>
/// <para>
/// Parsing follows Kubernetes: values finer than <c>1n</c> round away from zero to nano precision,
/// binarySI magnitudes are capped at 2^63-1, and the suffix family is remembered so
/// <see cref="ToString"/> writes the canonical form in it (<c>1.5Gi</c> → <c>1536Mi</c>).
/// </para>
/// </remarks>
[JsonConverter(typeof(QuantityJsonConverter))]
public readonly partial struct Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    // value = _mantissa × 10^_exponent. Normalised: _mantissa is not a multiple of 10, and zero
    // is (0, 0). A BigInteger within int range holds no array, so common values do not allocate.
    private readonly BigInteger _mantissa;
    private readonly int _exponent;
    private readonly QuantityFormat _format;

    private Quantity(BigInteger mantissa, int exponent, QuantityFormat format)
    {
        _mantissa = mantissa;
        _exponent = exponent;
        _format = format;
    }

    /// <summary>The suffix family <see cref="ToString"/> writes this value in.</summary>
    public QuantityFormat Format => _format;

    /// <summary>-1, 0 or 1 as the value is negative, zero or positive.</summary>
    public int Sign => _mantissa.Sign;

    /// <summary>Whether the value is zero (in any format: <c>0Ki</c> is zero).</summary>
    public bool IsZero => _mantissa.IsZero;

    /// <summary>A quantity of <paramref name="value"/> units (Kubernetes <c>NewQuantity</c>).</summary>
    /// <param name="value">The whole value.</param>
    /// <param name="format">The suffix family to print it in.</param>
    /// <returns>The quantity.</returns>
    public static Quantity FromValue(long value, QuantityFormat format) => Create(value, 0, format);

    /// <summary>A quantity of <paramref name="milliValue"/>/1000 units (Kubernetes <c>NewMilliQuantity</c>).</summary>
    /// <param name="milliValue">The value in thousandths, e.g. millicores.</param>
    /// <param name="format">The suffix family to print it in.</param>
    /// <returns>The quantity.</returns>
    public static Quantity FromMilliValue(long milliValue, QuantityFormat format) => Create(milliValue, -3, format);

    /// <summary>
    /// A quantity of <paramref name="value"/> × 10^<paramref name="scale"/> (Kubernetes
    /// <c>NewScaledQuantity</c>, which is always DecimalSI). Unlike parsing, this does not round
    /// to nano precision: <c>FromScaledValue(1, -12)</c> prints as <c>1e-12</c>, as in Kubernetes.
    /// </summary>
    /// <param name="value">The mantissa.</param>
    /// <param name="scale">The power of ten, e.g. -9 for nano, 3 for kilo.</param>
    /// <returns>The quantity.</returns>
    public static Quantity FromScaledValue(long value, int scale) => Create(value, scale, QuantityFormat.DecimalSI);

    /// <summary>Compares two quantities by exact value, whatever their formats; never allocates for values that fit 64 bits.</summary>
    /// <param name="left">The first quantity.</param>
    /// <param name="right">The second quantity.</param>
    /// <returns>-1, 0 or 1 as <paramref name="left"/> is less than, equal to or greater than <paramref name="right"/>.</returns>
    public static int Compare(Quantity left, Quantity right)
    {
        int sign = left._mantissa.Sign;
        int rightSign = right._mantissa.Sign;
        if (sign != rightSign)
        {
            return sign < rightSign ? -1 : 1;
        }

        if (sign == 0)
        {
            return 0;
        }

        if (left._exponent == right._exponent)
        {
            return Math.Sign(left._mantissa.CompareTo(right._mantissa));
        }

        if (DecimalMath.TryGetInt64(left._mantissa, out long l) && DecimalMath.TryGetInt64(right._mantissa, out long r))
        {
            return CompareInt64(l, left._exponent, r, right._exponent);
        }

        return CompareBig(left, right, sign);
    }

    /// <inheritdoc/>
    public int CompareTo(Quantity other) => Compare(this, other);

    /// <summary>Exact value equality across formats: <c>1000m</c> equals <c>1</c>.</summary>
    /// <param name="other">The quantity to compare with.</param>
    /// <returns>Whether the values are equal.</returns>
    public bool Equals(Quantity other) => _exponent == other._exponent && _mantissa.Equals(other._mantissa);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_mantissa, _exponent);

    /// <summary>Value equality, see <see cref="Equals(Quantity)"/>.</summary>
    /// <param name="left">The first quantity.</param>
    /// <param name="right">The second quantity.</param>
    /// <returns>Whether the values are equal.</returns>
    public static bool operator ==(Quantity left, Quantity right) => left.Equals(right);

    /// <summary>Value inequality, see <see cref="Equals(Quantity)"/>.</summary>
    /// <param name="left">The first quantity.</param>
    /// <param name="right">The second quantity.</param>
    /// <returns>Whether the values differ.</returns>
    public static bool operator !=(Quantity left, Quantity right) => !left.Equals(right);

    /// <summary>Exact value comparison.</summary>
    /// <param name="left">The first quantity.</param>
    /// <param name="right">The second quantity.</param>
    /// <returns>Whether <paramref name="left"/> is smaller.</returns>
    public static bool operator <(Quantity left, Quantity right) => Compare(left, right) < 0;

    /// <summary>Exact value comparison.</summary>
    /// <param name="left">The first quantity.</param>
    /// <param name="right">The second quantity.</param>
    /// <returns>Whether <paramref name="left"/> is smaller or equal.</returns>
    public static bool operator <=(Quantity left, Quantity right) => Compare(left, right) <= 0;

    /// <summary>Exact value comparison.</summary>
    /// <param name="left">The first quantity.</param>
    /// <param name="right">The second quantity.</param>
    /// <returns>Whether <paramref name="left"/> is greater.</returns>
    public static bool operator >(Quantity left, Quantity right) => Compare(left, right) > 0;

    /// <summary>Exact value comparison.</summary>
    /// <param name="left">The first quantity.</param>
    /// <param name="right">The second quantity.</param>
    /// <returns>Whether <paramref name="left"/> is greater or equal.</returns>
    public static bool operator >=(Quantity left, Quantity right) => Compare(left, right) >= 0;

    /// <summary>Builds a normalised quantity; throws if the exponent leaves the int range.</summary>
    private static Quantity Create(long mantissa, long exponent, QuantityFormat format) =>
        TryCreate(mantissa, exponent, format, out Quantity result) ? result : throw ExponentOverflow();

    /// <summary>Builds a normalised quantity; throws if the exponent leaves the int range.</summary>
    private static Quantity Create(Int128 mantissa, long exponent, QuantityFormat format) =>
        Int128.Abs(mantissa) <= long.MaxValue
            ? Create((long)mantissa, exponent, format)
            : Create((BigInteger)mantissa, exponent, format);

    /// <summary>Builds a normalised quantity; throws if the exponent leaves the int range.</summary>
    private static Quantity Create(BigInteger mantissa, long exponent, QuantityFormat format) =>
        TryCreate(mantissa, exponent, format, out Quantity result) ? result : throw ExponentOverflow();

    private static bool TryCreate(long mantissa, long exponent, QuantityFormat format, out Quantity result)
    {
        if (mantissa == 0)
        {
            result = new Quantity(BigInteger.Zero, 0, format);
            return true;
        }

        while (mantissa % 10 == 0)
        {
            mantissa /= 10;
            exponent++;
        }

        return TryCreateNormalised(new BigInteger(mantissa), exponent, format, out result);
    }

    private static bool TryCreate(BigInteger mantissa, long exponent, QuantityFormat format, out Quantity result)
    {
        if (DecimalMath.TryGetInt64(mantissa, out long small))
        {
            return TryCreate(small, exponent, format, out result);
        }

        while (true)
        {
            BigInteger quotient = BigInteger.DivRem(mantissa, 10, out BigInteger remainder);
            if (!remainder.IsZero)
            {
                break;
            }

            mantissa = quotient;
            exponent++;
        }

        return TryCreateNormalised(mantissa, exponent, format, out result);
    }

    private static bool TryCreateNormalised(BigInteger mantissa, long exponent, QuantityFormat format, out Quantity result)
    {
        if (exponent is < int.MinValue or > int.MaxValue)
        {
            result = default;
            return false;
        }

        result = new Quantity(mantissa, (int)exponent, format);
        return true;
    }

    private static OverflowException ExponentOverflow() =>
        new("The quantity's base-10 exponent does not fit in 32 bits.");

    private Quantity WithFormat(QuantityFormat format) => new(_mantissa, _exponent, format);

    // Both mantissas non-zero with the same sign, exponents differ.
    private static int CompareInt64(long left, int leftExponent, long right, int rightExponent)
    {
        long gap = (long)leftExponent - rightExponent;
        if (gap > 0)
        {
            // |left| >= 10^gap; at gap >= 19 that beats any |right| < 2^63 without computing it.
            return gap > DecimalMath.MaxInt64Power
                ? Math.Sign(left)
                : Math.Sign(((Int128)left * DecimalMath.Pow10((int)gap)).CompareTo(right));
        }

        return -gap > DecimalMath.MaxInt64Power
            ? -Math.Sign(right)
            : Math.Sign(((Int128)left).CompareTo((Int128)right * DecimalMath.Pow10((int)-gap)));
    }

    private static int CompareBig(Quantity left, Quantity right, int sign)
    {
        BigInteger leftAbs = BigInteger.Abs(left._mantissa);
        BigInteger rightAbs = BigInteger.Abs(right._mantissa);
        long leftBits = (long)leftAbs.GetBitLength();
        long rightBits = (long)rightAbs.GetBitLength();

        // Settle by order of magnitude first, so a huge exponent ("1e2000000000") is never expanded.
        if (DecimalMath.MinDigits(leftBits) + left._exponent > DecimalMath.MaxDigits(rightBits) + right._exponent)
        {
            return sign;
        }

        if (DecimalMath.MaxDigits(leftBits) + left._exponent < DecimalMath.MinDigits(rightBits) + right._exponent)
        {
            return -sign;
        }

        // Magnitudes overlap, so the exponent gap is bounded by the mantissas' own digit counts.
        long gap = (long)left._exponent - right._exponent;
        int magnitude = gap > 0
            ? (leftAbs * DecimalMath.Pow10Big(gap)).CompareTo(rightAbs)
            : leftAbs.CompareTo(rightAbs * DecimalMath.Pow10Big(-gap));
        return sign * Math.Sign(magnitude);
    }
}
