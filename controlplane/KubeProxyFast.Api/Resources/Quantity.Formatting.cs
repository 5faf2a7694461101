using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace KubeProxyFast.Api.Resources;

public readonly partial struct Quantity
{
    // Fits every quantity with a 64-bit mantissa: sign, 21 digits, "e-2147483648".
    private const int StackFormatLength = 64;

    // Kubernetes has no binary suffix past Ei (1024^6).
    private const int MaxPowerOf1024 = 6;

    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    // decimalSI suffixes for 10^-9 … 10^18, one per power of 1000.
    private static readonly string[] DecimalSuffixes = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];

    /// <summary>
    /// The canonical text, as Kubernetes' <c>CanonicalizeBytes</c> writes it: in this quantity's
    /// format, with an integral mantissa and the largest suffix that keeps it exact
    /// (<c>1000m</c> → <c>1</c>, <c>0.1</c> → <c>100m</c>, <c>1024Mi</c> → <c>1Gi</c>,
    /// <c>1.5Gi</c> → <c>1536Mi</c>, <c>2e4</c> → <c>20e3</c>). A binarySI value that is
    /// fractional or below 1024 in magnitude is written as decimalSI (<c>1.5Ki</c> → <c>1536</c>,
    /// <c>0.5Ki</c> → <c>512</c>); decimalSI beyond <c>E</c> and binarySI beyond <c>Ei</c> fall
    /// back to an exponent (<c>1000E</c> → <c>1e21</c>). Zero is <c>0</c>.
    /// </summary>
    /// <returns>The canonical text.</returns>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[StackFormatLength];
        if (TryFormat(buffer, out int written))
        {
            return new string(buffer[..written]);
        }

        char[] large = new char[MaxFormattedLength()];
        return TryFormat(large, out written)
            ? new string(large, 0, written)
            : throw new UnreachableException("MaxFormattedLength is an upper bound.");
    }

    /// <summary>Writes the canonical text (see <see cref="ToString"/>) without allocating when the mantissa fits 64 bits.</summary>
    /// <param name="destination">Where to write; 64 characters always suffice for such values.</param>
    /// <param name="charsWritten">The characters written, or 0 when <paramref name="destination"/> is too small.</param>
    /// <returns>Whether the text fitted.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        int position = 0;
        bool done;
        if (IsZero)
        {
            done = TryAppend(destination, ref position, "0");
        }
        else if (_format == QuantityFormat.BinarySI && TryGetPowerOf1024(out int powerOf1024))
        {
            done = TryFormatBinary(destination, powerOf1024, ref position);
        }
        else
        {
            QuantityFormat format = _format switch
            {
                // Fractional or below 1024: decimalSI shows it without rounding (Kubernetes).
                QuantityFormat.BinarySI when _exponent < 0 || IsBelow1024() => QuantityFormat.DecimalSI,

                // Past Ei (only reachable by arithmetic): an exact decimal that parses back (Kubernetes).
                QuantityFormat.BinarySI => QuantityFormat.DecimalExponent,
                QuantityFormat.DecimalSI => QuantityFormat.DecimalSI,

                // DecimalExponent, and Kubernetes prints an unknown format as an exponent too.
                _ => QuantityFormat.DecimalExponent,
            };
            done = TryFormatDecimal(destination, format, ref position);
        }

        charsWritten = done ? position : 0;
        return done;
    }

    // Whether the value is an integer of magnitude >= 1024 with a binary suffix up to Ei, and which.
    private bool TryGetPowerOf1024(out int powerOf1024)
    {
        powerOf1024 = 0;
        if (_exponent < 0 || IsBelow1024())
        {
            return false;
        }

        // The factors of two in mantissa × 10^exponent are the mantissa's plus `exponent` (10 = 2 × 5);
        // counting them avoids expanding a huge exponent.
        long power = (TrailingZeroBits() + _exponent) / 10;
        powerOf1024 = (int)Math.Min(power, MaxPowerOf1024 + 1);
        return power <= MaxPowerOf1024;
    }

    private bool IsBelow1024()
    {
        // Only asked with _exponent >= 0; 10^4 is already above 1024.
        return _exponent <= 3
            && DecimalMath.TryGetInt64(_mantissa, out long mantissa)
            && Int128.Abs((Int128)mantissa * DecimalMath.Pow10(_exponent)) < 1024;
    }

    private long TrailingZeroBits() =>
        DecimalMath.TryGetInt64(_mantissa, out long mantissa)
            ? long.TrailingZeroCount(mantissa)
            : (long)BigInteger.TrailingZeroCount(_mantissa);

    private bool TryFormatBinary(Span<char> destination, int powerOf1024, ref int position)
    {
        int written;
        bool fits;
        if (DecimalMath.TryGetInt64(_mantissa, out long mantissa) && _exponent <= DecimalMath.MaxInt64Power)
        {
            Int128 value = ((Int128)mantissa * DecimalMath.Pow10(_exponent)) >> (10 * powerOf1024);
            fits = value.TryFormat(destination[position..], out written, default, CultureInfo.InvariantCulture);
        }
        else
        {
            BigInteger value = (_mantissa * DecimalMath.Pow10Big(_exponent)) >> (10 * powerOf1024);
            fits = value.TryFormat(destination[position..], out written, default, CultureInfo.InvariantCulture);
        }

        position += written;
        return fits && TryAppend(destination, ref position, BinarySuffixes[powerOf1024]);
    }

    private bool TryFormatDecimal(Span<char> destination, QuantityFormat format, ref int position)
    {
        // Lower the exponent to a multiple of 3, the largest one that keeps the mantissa integral.
        int remainder = (int)((((long)_exponent % 3) + 3) % 3);
        long exponent = (long)_exponent - remainder;

        int written;
        bool fits;
        if (DecimalMath.TryGetInt64(_mantissa, out long mantissa))
        {
            Int128 value = (Int128)mantissa * DecimalMath.Pow10(remainder);
            fits = value.TryFormat(destination[position..], out written, default, CultureInfo.InvariantCulture);
        }
        else
        {
            BigInteger value = _mantissa * DecimalMath.Pow10(remainder);
            fits = value.TryFormat(destination[position..], out written, default, CultureInfo.InvariantCulture);
        }

        position += written;
        if (!fits)
        {
            return false;
        }

        if (format == QuantityFormat.DecimalSI && exponent is >= -9 and <= 18)
        {
            return TryAppend(destination, ref position, DecimalSuffixes[(int)(exponent + 9) / 3]);
        }

        // DecimalExponent, and decimalSI outside n…E, which has no suffix (Kubernetes falls back too).
        if (exponent == 0)
        {
            return true;
        }

        if (!TryAppend(destination, ref position, "e")
            || !exponent.TryFormat(destination[position..], out written, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        position += written;
        return true;
    }

    private int MaxFormattedLength()
    {
        // Digits of |mantissa| × 100 (decimal) or × 10^69 (binary, before the 1024 shift), a sign
        // and the longest suffix, "e-2147483648".
        long digits = DecimalMath.MaxDigits((long)BigInteger.Abs(_mantissa).GetBitLength()) + 69;
        return (int)Math.Min(Array.MaxLength, digits + 1 + 12);
    }

    private static bool TryAppend(Span<char> destination, ref int position, string text)
    {
        if (!text.AsSpan().TryCopyTo(destination[position..]))
        {
            return false;
        }

        position += text.Length;
        return true;
    }
}
