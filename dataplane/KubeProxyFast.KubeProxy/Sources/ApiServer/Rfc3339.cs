using System.Globalization;

namespace KubeProxyFast.KubeProxy.Sources.ApiServer;

/// <summary>Times as Go's <c>time.RFC3339Nano</c> writes them (<c>2026-12-06T12:00:00.123456789Z</c>), which carry more fraction digits than .NET keeps.</summary>
internal static class Rfc3339
{
    /// <summary>The time, or null when <paramref name="text"/> is not RFC 3339; fractions past 100 ns are dropped.</summary>
    public static DateTimeOffset? TryParse(string? text)
    {
        if (text is null || text.Length < 20 || (text[10] != 'T' && text[10] != 't'))
        {
            return null;
        }

        // .NET reads at most 7 fraction digits (ticks): cut the rest, keeping the offset after them.
        var dot = text.IndexOf('.', 19);
        if (dot == 19)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
    }
}
