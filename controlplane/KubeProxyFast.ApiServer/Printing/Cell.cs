using System.Globalization;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>Cell formatting shared by the kinds, with Kubernetes' placeholders.</summary>
internal static class Cell
{
    /// <summary>An empty value.</summary>
    public const string None = "<none>";

    /// <summary>A value the object does not carry.</summary>
    public const string Unknown = "<unknown>";

    /// <summary>translateTimestampSince: the age of <paramref name="time"/>, or <c>&lt;unknown&gt;</c>.</summary>
    public static string Age(DateTimeOffset? time, DateTimeOffset now) =>
        time is { } t ? HumanDuration.Format(now - t) : Unknown;

    /// <summary><paramref name="value"/>, or <c>&lt;none&gt;</c> when empty.</summary>
    public static string OrNone(string? value) => string.IsNullOrEmpty(value) ? None : value;

    /// <summary>labels.FormatLabels: <c>k=v</c> pairs sorted by key, comma-separated, or <c>&lt;none&gt;</c>.</summary>
    public static string Labels(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return None;
        }

        return string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
    }

    /// <summary>An integer cell; Kubernetes puts int64 values in integer columns.</summary>
    public static object Integer(long value) => value;

    /// <summary>net.JoinHostPort: brackets around IPv6 addresses.</summary>
    public static string HostPort(string host, int port)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        return host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]:" + text : host + ":" + text;
    }
}
