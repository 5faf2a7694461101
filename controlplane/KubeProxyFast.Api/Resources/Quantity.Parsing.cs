using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace KubeProxyFast.Api.Resources;

public readonly partial struct Quantity
{
    /// <summary>Kubernetes' <c>ErrFormatWrong</c>, word for word, so users can search for it.</summary>
    internal const string FormatWrongMessage =
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    /// <summary>Kubernetes' <c>ErrNumeric</c>.</summary>
    internal const string NumericMessage = "unable to parse numeric part of quantity";

    /// <summary>Kubernetes' <c>ErrSuffix</c>.</summary>
    internal const string SuffixMessage = "unable to parse quantity's suffix";

    // Nano is the finest scale a parsed quantity keeps (Kubernetes resource.Nano).
    private const int NanoExponent = -9;

    // Inputs longer than this are cut in error messages: they end up in API responses and logs.
    private const int MaxEchoedInputLength = 64;

    /// <summary>
    /// Parses <c>&lt;signedNumber&gt;&lt;suffix&gt;</c> as Kubernetes does, e.g. <c>100m</c>,
    /// <c>1.5Gi</c>, <c>2e3</c>, <c>-1</c>, <c>.5</c>.
    /// </summary>
    /// <param name="s">The text, without surrounding whitespace.</param>
    /// <returns>The quantity.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a quantity; the message quotes it.</exception>
    public static Quantity Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <summary>Parses a quantity from characters; see <see cref="Parse(string)"/>.</summary>
    /// <param name="s">The text, without surrounding whitespace.</param>
    /// <returns>The quantity.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a quantity; the message quotes it.</exception>
    public static Quantity Parse(ReadOnlySpan<char> s)
    {
        string? error = TryParseCore(s, out Quantity result);
        return error is null ? result : throw new FormatException(DescribeError(s, error));
    }

    /// <summary>Parses a quantity without throwing; see <see cref="Parse(string)"/>.</summary>
    /// <param name="s">The text, without surrounding whitespace.</param>
    /// <param name="result">The quantity, or zero when parsing fails.</param>
    /// <returns>Whether <paramref name="s"/> was a quantity.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out Quantity result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParseCore(s, out result) is null;
    }

    /// <summary>Parses a quantity from characters without throwing; see <see cref="Parse(string)"/>.</summary>
    /// <param name="s">The text, without surrounding whitespace.</param>
    /// <param name="result">The quantity, or zero when parsing fails.</param>
    /// <returns>Whether <paramref name="s"/> was a quantity.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, out Quantity result) => TryParseCore(s, out result) is null;

    /// <summary>The message for a failed parse: the reason, naming the (possibly shortened) input.</summary>
    internal static string DescribeError(ReadOnlySpan<char> input, string reason)
    {
        string echoed = input.Length <= MaxEchoedInputLength
            ? input.ToString()
            : string.Concat(input[..MaxEchoedInputLength], "...");
        return $"Invalid quantity \"{echoed}\": {reason}";
    }

    /// <summary>Parses <paramref name="s"/>; returns null on success, else one of the Kubernetes error texts.</summary>
    internal static string? TryParseCore(ReadOnlySpan<char> s, out Quantity result)
    {
        result = default;
        int pos = 0;
        bool negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            pos = 1;
        }

        int start = pos;
        pos = SkipDigits(s, pos);
        ReadOnlySpan<char> whole = s[start..pos];
        ReadOnlySpan<char> fraction = default;
        if (pos < s.Length && s[pos] == '.')
        {
            start = ++pos;
            pos = SkipDigits(s, pos);
            fraction = s[start..pos];
        }

        // The documented grammar needs a digit: Kubernetes' scanner reads "Mi", "." or "-" as zero,
        // which its own error message (and our callers) call malformed.
        if (whole.IsEmpty && fraction.IsEmpty)
        {
            return FormatWrongMessage;
        }

        // Same shape as Kubernetes' scanner: suffix letters, an optional sign, digits, then the end.
        int suffixStart = pos;
        while (pos < s.Length && "eEinumkKMGTP".Contains(s[pos], StringComparison.Ordinal))
        {
            pos++;
        }

        if (pos < s.Length && s[pos] is '+' or '-')
        {
            pos++;
        }

        pos = SkipDigits(s, pos);
        if (pos != s.Length)
        {
            return FormatWrongMessage;
        }

        if (!TryInterpretSuffix(s[suffixStart..], out int binaryShift, out int decimalShift, out QuantityFormat format))
        {
            return SuffixMessage;
        }

        // Move trailing zeros into the exponent and drop leading ones, so the digits left are
        // exactly the normalised mantissa's (before any binary multiplier).
        long exponent = decimalShift - (long)fraction.Length;
        int trailing = fraction.Length - fraction.TrimEnd('0').Length;
        fraction = fraction[..^trailing];
        exponent += trailing;
        if (fraction.IsEmpty)
        {
            trailing = whole.Length - whole.TrimEnd('0').Length;
            whole = whole[..^trailing];
            exponent += trailing;
        }

        whole = whole.TrimStart('0');
        if (whole.IsEmpty)
        {
            fraction = fraction.TrimStart('0');
        }

        if (whole.IsEmpty && fraction.IsEmpty)
        {
            result = new Quantity(BigInteger.Zero, 0, format);
            return null;
        }

        bool created = whole.Length + fraction.Length <= DecimalMath.MaxInt64Power
            ? TryFinish(ReadInt64(whole, fraction), exponent, binaryShift, negative, format, out result)
            : TryFinish(ReadBig(whole, fraction), exponent, binaryShift, negative, format, out result);
        return created ? null : NumericMessage;
    }

    private static int SkipDigits(ReadOnlySpan<char> s, int pos)
    {
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            pos++;
        }

        return pos;
    }

    // Kubernetes' suffixer: the fixed decimalSI and binarySI tables, else e/E and a signed int32.
    private static bool TryInterpretSuffix(ReadOnlySpan<char> suffix, out int binaryShift, out int decimalShift, out QuantityFormat format)
    {
        binaryShift = 0;
        decimalShift = 0;
        format = QuantityFormat.DecimalSI;
        switch (suffix)
        {
            case "": return true;
            case "n": decimalShift = -9; return true;
            case "u": decimalShift = -6; return true;
            case "m": decimalShift = -3; return true;
            case "k": decimalShift = 3; return true;
            case "M": decimalShift = 6; return true;
            case "G": decimalShift = 9; return true;
            case "T": decimalShift = 12; return true;
            case "P": decimalShift = 15; return true;
            case "E": decimalShift = 18; return true;
        }

        format = QuantityFormat.BinarySI;
        switch (suffix)
        {
            case "Ki": binaryShift = 10; return true;
            case "Mi": binaryShift = 20; return true;
            case "Gi": binaryShift = 30; return true;
            case "Ti": binaryShift = 40; return true;
            case "Pi": binaryShift = 50; return true;
            case "Ei": binaryShift = 60; return true;
        }

        format = QuantityFormat.DecimalExponent;
        return suffix.Length > 1 && suffix[0] is 'e' or 'E' && TryParseExponent(suffix[1..], out decimalShift);
    }

    // A signed decimal int in [-int.MaxValue, int.MaxValue]; Kubernetes rejects anything wider
    // rather than truncating it to an unrelated int32.
    private static bool TryParseExponent(ReadOnlySpan<char> text, out int exponent)
    {
        exponent = 0;
        bool negative = text.Length > 0 && text[0] == '-';
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            text = text[1..];
        }

        if (text.IsEmpty)
        {
            return false;
        }

        long value = 0;
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
            if (value > int.MaxValue)
            {
                return false;
            }
        }

        exponent = negative ? -(int)value : (int)value;
        return true;
    }

    private static long ReadInt64(ReadOnlySpan<char> whole, ReadOnlySpan<char> fraction)
    {
        long value = 0;
        foreach (char c in whole)
        {
            value = (value * 10) + (c - '0');
        }

        foreach (char c in fraction)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }

    // Over 18 significant digits: rare enough that a joined copy is fine.
    private static BigInteger ReadBig(ReadOnlySpan<char> whole, ReadOnlySpan<char> fraction)
    {
        ReadOnlySpan<char> digits = fraction.IsEmpty ? whole
            : whole.IsEmpty ? fraction
            : string.Concat(whole, fraction);
        return BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    // Applies the binary multiplier, nano rounding, the binarySI cap and the sign to a positive
    // mantissa × 10^exponent, in Kubernetes' order. The long path covers everything realistic.
    private static bool TryFinish(long mantissa, long exponent, int binaryShift, bool negative, QuantityFormat format, out Quantity result)
    {
        if (exponent < NanoExponent || (binaryShift > 0 && mantissa >= 1L << (63 - binaryShift)))
        {
            return TryFinish(new BigInteger(mantissa), exponent, binaryShift, negative, format, out result);
        }

        mantissa <<= binaryShift;
        if (format == QuantityFormat.BinarySI)
        {
            if (exponent > 0
                && (exponent > DecimalMath.MaxInt64Power || (Int128)mantissa * DecimalMath.Pow10((int)exponent) > long.MaxValue))
            {
                mantissa = long.MaxValue;
                exponent = 0;
            }
            else if (exponent < 0 && mantissa < DecimalMath.Pow10((int)-exponent))
            {
                // Kubernetes keeps a binarySI value in (0, 1) as decimalSI, which prints it unrounded.
                format = QuantityFormat.DecimalSI;
            }
        }

        return TryCreate(negative ? -mantissa : mantissa, exponent, format, out result);
    }

    private static bool TryFinish(BigInteger mantissa, long exponent, int binaryShift, bool negative, QuantityFormat format, out Quantity result)
    {
        mantissa <<= binaryShift;
        if (exponent < NanoExponent)
        {
            // "If you want some resources, you should get some": round finer values up to 1n.
            mantissa = DecimalMath.DivideRoundingUp(mantissa, NanoExponent - exponent);
            exponent = NanoExponent;
        }

        if (format == QuantityFormat.BinarySI)
        {
            if (exponent >= 0)
            {
                if (exponent > DecimalMath.MaxInt64Power || mantissa * DecimalMath.Pow10((int)exponent) > long.MaxValue)
                {
                    mantissa = long.MaxValue;
                    exponent = 0;
                }
            }
            else if (mantissa > (BigInteger)long.MaxValue * DecimalMath.Pow10((int)-exponent))
            {
                mantissa = long.MaxValue;
                exponent = 0;
            }
            else if (mantissa < DecimalMath.Pow10((int)-exponent))
            {
                format = QuantityFormat.DecimalSI;
            }
        }

        return TryCreate(negative ? -mantissa : mantissa, exponent, format, out result);
    }
}
