namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// The JSON text of meta/v1 Time and MicroTime from and to their protobuf values (seconds and
/// nanoseconds since the Unix epoch).
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
