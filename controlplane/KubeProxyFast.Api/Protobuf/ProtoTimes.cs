using System.Buffers.Text;
using System.Globalization;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// The JSON text of meta/v1 Time, MicroTime and Duration from and to their protobuf values
/// (seconds and nanoseconds since the Unix epoch; nanoseconds of a duration).
/// </summary>
public static class ProtoTimes
{
    /// <summary>Seconds of 0001-01-01T00:00:00Z: Go's zero time, which Kubernetes writes as JSON null.</summary>
    public const long ZeroTimeSeconds = -62135596800;

    private const long MaxSeconds = 253402300799; // 9999-12-31T23:59:59Z

    private static readonly long UnixEpochDays = DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerDay;

    /// <summary>Parses RFC 3339 UTF-8 text (<c>2015-03-12T20:07:34Z</c>, fractions and offsets allowed).</summary>
    public static bool TryParseTime(ReadOnlySpan<byte> text, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || (text[10] | 0x20) != 't' || text[13] != ':' || text[16] != ':'
            || !Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day)
            || !Digits(text.Slice(11, 2), out var hour) || !Digits(text.Slice(14, 2), out var minute) || !Digits(text.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var at = 19;
        if (text[at] == '.')
        {
            at++;
            var scale = 100_000_000;
            var start = at;
            while (at < text.Length && text[at] is >= (byte)'0' and <= (byte)'9')
            {
                nanos += (text[at] - '0') * scale;
                scale /= 10;
                at++;
            }

            if (at == start)
            {
                return false;
            }
        }

        long offset;
        if (at == text.Length - 1 && (text[at] | 0x20) == 'z')
        {
            offset = 0;
        }
        else if (at == text.Length - 6 && text[at] is (byte)'+' or (byte)'-' && text[at + 3] == ':'
            && Digits(text.Slice(at + 1, 2), out var offsetHours) && Digits(text.Slice(at + 4, 2), out var offsetMinutes)
            && offsetHours < 24 && offsetMinutes < 60)
        {
            offset = ((offsetHours * 60) + offsetMinutes) * 60 * (text[at] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        var days = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks / TimeSpan.TicksPerDay;
        seconds = ((days - UnixEpochDays) * 86400) + (hour * 3600) + (minute * 60) + second - offset;
        return true;
    }

    /// <summary>
    /// Writes <c>yyyy-MM-ddTHH:mm:ssZ</c>, with six fractional digits when <paramref name="micro"/>;
    /// false for a time outside years 1–9999.
    /// </summary>
    public static bool TryFormatTime(long seconds, int nanos, bool micro, Span<byte> output, out int written)
    {
        written = 0;
        if (seconds is < ZeroTimeSeconds or > MaxSeconds || nanos is < 0 or > 999_999_999 || output.Length < 27)
        {
            return false;
        }

        var time = DateTime.UnixEpoch.AddSeconds(seconds);
        Two(output, 0, time.Year / 100);
        Two(output, 2, time.Year % 100);
        output[4] = (byte)'-';
        Two(output, 5, time.Month);
        output[7] = (byte)'-';
        Two(output, 8, time.Day);
        output[10] = (byte)'T';
        Two(output, 11, time.Hour);
        output[13] = (byte)':';
        Two(output, 14, time.Minute);
        output[16] = (byte)':';
        Two(output, 17, time.Second);
        written = 19;
        if (micro)
        {
            output[19] = (byte)'.';
            var micros = nanos / 1000;
            for (var i = 25; i > 19; i--)
            {
                output[i] = (byte)('0' + (micros % 10));
                micros /= 10;
            }

            written = 26;
        }

        output[written++] = (byte)'Z';
        return true;
    }

    /// <summary>Parses Go's duration text (<c>1h2m3.5s</c>, <c>-300ms</c>, <c>0</c>) into nanoseconds.</summary>
    public static bool TryParseDuration(ReadOnlySpan<byte> text, out long nanos)
    {
        nanos = 0;
        var negative = text.Length > 0 && text[0] == '-';
        if (text.Length > 0 && text[0] is (byte)'-' or (byte)'+')
        {
            text = text[1..];
        }

        if (text.SequenceEqual("0"u8))
        {
            return true;
        }

        if (text.IsEmpty)
        {
            return false;
        }

        decimal total = 0;
        while (!text.IsEmpty)
        {
            var length = 0;
            while (length < text.Length && (text[length] is >= (byte)'0' and <= (byte)'9' || text[length] == '.'))
            {
                length++;
            }

            if (length == 0 || !Utf8Parser.TryParse(text[..length], out decimal value, out var used) || used != length)
            {
                return false;
            }

            text = text[length..];
            var unit = 0;
            while (unit < text.Length && !(text[unit] is >= (byte)'0' and <= (byte)'9' || text[unit] == '.'))
            {
                unit++;
            }

            long scale = text[..unit] switch
            {
                var u when u.SequenceEqual("ns"u8) => 1,
                var u when u.SequenceEqual("us"u8) || u.SequenceEqual("µs"u8) || u.SequenceEqual("μs"u8) => 1_000,
                var u when u.SequenceEqual("ms"u8) => 1_000_000,
                var u when u.SequenceEqual("s"u8) => 1_000_000_000,
                var u when u.SequenceEqual("m"u8) => 60_000_000_000,
                var u when u.SequenceEqual("h"u8) => 3_600_000_000_000,
                _ => 0,
            };
            if (scale == 0)
            {
                return false;
            }

            total += value * scale;
            if (total > long.MaxValue)
            {
                return false;
            }

            text = text[unit..];
        }

        nanos = (long)decimal.Truncate(negative ? -total : total);
        return true;
    }

    /// <summary>Go's <c>time.Duration.String()</c>: <c>1h2m3.5s</c>, <c>300ms</c>, <c>0s</c>.</summary>
    public static string FormatDuration(long nanos)
    {
        if (nanos == 0)
        {
            return "0s";
        }

        var sign = nanos < 0 ? "-" : "";
        var magnitude = nanos == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(nanos);
        if (magnitude < 1_000_000_000)
        {
            var (unit, scale) = magnitude < 1_000 ? ("ns", 1UL) : magnitude < 1_000_000 ? ("µs", 1_000UL) : ("ms", 1_000_000UL);
            return sign + Fraction(magnitude, scale) + unit;
        }

        var hours = magnitude / 3_600_000_000_000;
        var minutes = magnitude / 60_000_000_000 % 60;
        var rest = magnitude % 60_000_000_000;
        var text = sign;
        if (hours > 0)
        {
            text += hours.ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (hours > 0 || minutes > 0)
        {
            text += minutes.ToString(CultureInfo.InvariantCulture) + "m";
        }

        return text + Fraction(rest, 1_000_000_000) + "s";
    }

    private static string Fraction(ulong value, ulong scale)
    {
        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        var fraction = value % scale;
        if (fraction == 0)
        {
            return whole;
        }

        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static void Two(Span<byte> output, int at, int value)
    {
        output[at] = (byte)('0' + (value / 10));
        output[at + 1] = (byte)('0' + (value % 10));
    }
}
