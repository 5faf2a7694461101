using System.Globalization;
using System.Numerics;

namespace KubeProxyFast.Api.Resources;

public readonly partial struct Quantity
{
    /// <summary>
    /// The largest exponent gap <see cref="Add"/> and <see cref="Sub"/> will align. An exact sum of
    /// <c>1e2000000000</c> and <c>1n</c> needs two billion digits; Kubernetes would try to allocate
    /// them, we refuse instead. Real quantities differ by at most ~30 powers of ten (E to n).
    /// </summary>
    internal const int MaxAlignmentDigits = 10_000;

    /// <summary>
    /// The value in whole units, rounded away from zero (Kubernetes <c>Value()</c>): <c>1500m</c> → 2,
    /// <c>-1500m</c> → -2. Saturates at <see cref="long.MinValue"/>/<see cref="long.MaxValue"/> where
    /// Kubernetes' result is undefined.
    /// </summary>
    public long Value => ScaledValue(0);

    /// <summary>
    /// The value in thousandths, rounded away from zero (Kubernetes <c>MilliValue()</c>):
    /// <c>0.0005</c> → 1. Saturates like <see cref="Value"/>.
    /// </summary>
    public long MilliValue => ScaledValue(-3);

    /// <summary>
    /// The value in units of 10^<paramref name="scale"/>, rounded away from zero (Kubernetes
    /// <c>ScaledValue</c>), saturating at the <see cref="long"/> range.
    /// </summary>
    /// <param name="scale">The power of ten of the unit: 0 for units, -3 for milli, -9 for nano.</param>
    /// <returns>The rounded, saturated value.</returns>
    public long ScaledValue(int scale)
    {
        int sign = _mantissa.Sign;
        if (sign == 0)
        {
            return 0;
        }

        long shift = (long)_exponent - scale;
        if (DecimalMath.TryGetInt64(_mantissa, out long mantissa))
        {
            if (shift >= 0)
            {
                if (shift > DecimalMath.MaxInt64Power)
                {
                    return Saturate(sign);
                }

                Int128 scaled = (Int128)mantissa * DecimalMath.Pow10((int)shift);
                return scaled > long.MaxValue || scaled < long.MinValue ? Saturate(sign) : (long)scaled;
            }

            if (-shift > DecimalMath.MaxInt64Power)
            {
                // |mantissa| < 10^19 <= 10^-shift: less than one unit, which rounds away from zero.
                return sign;
            }

            long quotient = Math.DivRem(mantissa, DecimalMath.Pow10((int)-shift), out long remainder);
            return remainder == 0 ? quotient : quotient + sign;
        }

        if (shift >= 0)
        {
            // The mantissa alone is beyond 64 bits.
            return Saturate(sign);
        }

        BigInteger magnitude = DecimalMath.DivideRoundingUp(BigInteger.Abs(_mantissa), -shift);
        if (magnitude > long.MaxValue)
        {
            return Saturate(sign);
        }

        return sign * (long)magnitude;
    }

    /// <summary>
    /// The exact sum. As in Kubernetes the result keeps this quantity's format, unless this one is
    /// zero, in which case it takes <paramref name="other"/>'s (so <c>0 + 1Gi</c> prints <c>1Gi</c>).
    /// </summary>
    /// <param name="other">The quantity to add.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="OverflowException">The exponents are more than 10,000 apart, or the result's exponent leaves the int range.</exception>
    public Quantity Add(Quantity other)
    {
        if (other.IsZero)
        {
            return IsZero ? WithFormat(other._format) : this;
        }

        return IsZero ? other : Sum(this, other._mantissa, other._exponent, _format, other);
    }

    /// <summary>
    /// The exact difference, formatted like <see cref="Add"/>: this quantity's format, or
    /// <paramref name="other"/>'s when this one is zero.
    /// </summary>
    /// <param name="other">The quantity to subtract.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="OverflowException">The exponents are more than 10,000 apart, or the result's exponent leaves the int range.</exception>
    public Quantity Sub(Quantity other)
    {
        if (other.IsZero)
        {
            return IsZero ? WithFormat(other._format) : this;
        }

        return IsZero ? other.Negate() : Sum(this, -other._mantissa, other._exponent, _format, other);
    }

    /// <summary>The value with its sign flipped, in the same format.</summary>
    /// <returns>The negated quantity.</returns>
    public Quantity Negate() => new(-_mantissa, _exponent, _format);

    private static long Saturate(int sign) => sign > 0 ? long.MaxValue : long.MinValue;

    // left + (rightMantissa × 10^rightExponent); `right` is only for the error message.
    private static Quantity Sum(Quantity left, BigInteger rightMantissa, int rightExponent, QuantityFormat format, Quantity right)
    {
        long gap = (long)left._exponent - rightExponent;
        if (Math.Abs(gap) <= DecimalMath.MaxInt64Power
            && DecimalMath.TryGetInt64(left._mantissa, out long l)
            && DecimalMath.TryGetInt64(rightMantissa, out long r))
        {
            // |l| × 10^18 + |r| < 2^127: exact in Int128, no allocation.
            return gap >= 0
                ? Create(((Int128)l * DecimalMath.Pow10((int)gap)) + r, rightExponent, format)
                : Create(l + ((Int128)r * DecimalMath.Pow10((int)-gap)), left._exponent, format);
        }

        if (Math.Abs(gap) > MaxAlignmentDigits)
        {
            throw new OverflowException(string.Create(
                CultureInfo.InvariantCulture,
                $"Combining quantities {left} and {right} exactly needs more than {MaxAlignmentDigits} digits."));
        }

        return gap >= 0
            ? Create((left._mantissa * DecimalMath.Pow10Big(gap)) + rightMantissa, rightExponent, format)
            : Create(left._mantissa + (rightMantissa * DecimalMath.Pow10Big(-gap)), left._exponent, format);
    }
}
