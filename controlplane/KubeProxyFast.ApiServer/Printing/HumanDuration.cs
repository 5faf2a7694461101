using System.Globalization;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>
/// Kubernetes' <c>k8s.io/apimachinery/pkg/util/duration.HumanDuration</c>, the AGE of every table:
/// two units while the larger is small (<c>3m20s</c>, <c>2d3h</c>), one unit after that (<c>70m</c>,
/// <c>47h</c>, <c>300d</c>). Every division truncates toward zero, as Go's integer conversions do.
/// </summary>
internal static class HumanDuration
{
    /// <summary>Formats <paramref name="d"/>; up to a second in the future (clock skew) reads <c>0s</c>.</summary>
    public static string Format(TimeSpan d)
    {
        var seconds = d.Ticks / TimeSpan.TicksPerSecond;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return Text(seconds, "s");
        }

        var minutes = d.Ticks / TimeSpan.TicksPerMinute;
        if (minutes < 10)
        {
            return Text(minutes, "m", seconds % 60, "s");
        }

        if (minutes < 60 * 3)
        {
            return Text(minutes, "m");
        }

        var hours = d.Ticks / TimeSpan.TicksPerHour;
        if (hours < 8)
        {
            return Text(hours, "h", minutes % 60, "m");
        }

        if (hours < 48)
        {
            return Text(hours, "h");
        }

        if (hours < 24 * 8)
        {
            return Text(hours / 24, "d", hours % 24, "h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Text(hours / 24, "d");
        }

        if (hours < 24 * 365 * 8)
        {
            return Text(hours / 24 / 365, "y", hours / 24 % 365, "d");
        }

        return Text(hours / 24 / 365, "y");
    }

    private static string Text(long value, string unit) => value.ToString(CultureInfo.InvariantCulture) + unit;

    // The smaller unit is dropped when it is zero: 5m, not 5m0s.
    private static string Text(long value, string unit, long rest, string restUnit) =>
        rest == 0 ? Text(value, unit) : Text(value, unit) + Text(rest, restUnit);
}
