using System.Globalization;
using System.Text;

namespace KubeProxyFast.KubeProxy.Flags;

/// <summary>
/// Durations written as Go's <c>time.ParseDuration</c> reads them, as every Kubernetes flag
/// takes them: a sequence of decimal numbers with units, <c>250ms</c>, <c>10s</c>, <c>1h30m</c>,
/// <c>1.5s</c>; units <c>ns</c>, <c>us</c> (<c>µs</c>), <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>;
/// a bare <c>0</c> is zero. Finer than 100 ns (a .NET tick) is truncated.
/// </summary>
public static class GoDuration
{
    private const decimal NanosecondsPerTick = 100m;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why as Go does, without its <c>time: </c> prefix.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        var orig = text ?? "";
        var s = orig.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return Invalid(orig, out error);
        }

        decimal nanoseconds = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
            {
                digits++;
            }

            var number = s[..digits];
            if (number.IsEmpty || number is "." || number.IndexOf('.') != number.LastIndexOf('.') ||
                !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return Invalid(orig, out error);
            }

            s = s[digits..];
            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                error = $"missing unit in duration {Quote(orig)}";
                return false;
            }

            var unit = s[..unitLength].ToString();
            s = s[unitLength..];
            if (UnitNanoseconds(unit) is not { } scale)
            {
                error = $"unknown unit {Quote(unit)} in duration {Quote(orig)}";
                return false;
            }

            try
            {
                nanoseconds += amount * scale;
            }
            catch (OverflowException)
            {
                return Invalid(orig, out error);
            }
        }

        var ticks = decimal.Truncate(nanoseconds / NanosecondsPerTick);
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return Invalid(orig, out error);
        }

        value = TimeSpan.FromTicks((long)ticks * (negative ? -1 : 1));
        return true;
    }

    /// <summary>Formats as Go's <c>Duration.String</c> does: <c>250ms</c>, <c>10s</c>, <c>1h0m0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
            value = value.Duration();
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            var (amount, unit) = value.Ticks % TimeSpan.TicksPerMillisecond == 0 ? (value.TotalMilliseconds, "ms")
                : value.Ticks % TimeSpan.TicksPerMicrosecond == 0 ? (value.TotalMicroseconds, "µs")
                : (value.TotalNanoseconds, "ns");
            return builder.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit).ToString();
        }

        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || value.Minutes > 0)
        {
            builder.Append(value.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        return builder.Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('s').ToString();
    }

    private static decimal? UnitNanoseconds(string unit) => unit switch
    {
        "ns" => 1m,
        "us" or "\u00b5s" or "\u03bcs" => 1_000m,
        "ms" => 1_000_000m,
        "s" => 1_000_000_000m,
        "m" => 60_000_000_000m,
        "h" => 3_600_000_000_000m,
        _ => null,
    };

    private static bool Invalid(string orig, out string error)
    {
        error = $"invalid duration {Quote(orig)}";
        return false;
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
