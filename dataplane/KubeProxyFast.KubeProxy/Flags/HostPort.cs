using System.Globalization;
using System.Net;

namespace KubeProxyFast.KubeProxy.Flags;

/// <summary>
/// Bind addresses as kube-proxy's <c>--metrics-bind-address</c> takes them: <c>ip:port</c>
/// (<c>[ipv6]:port</c>), or an IP alone for the default port; port 0 lets the kernel choose.
/// </summary>
public static class HostPort
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, int defaultPort, out IPEndPoint endPoint, out string error)
    {
        endPoint = new IPEndPoint(IPAddress.Any, 0);
        error = "";
        var value = (text ?? "").Trim();
        // An address alone first: IPEndPoint.TryParse would read "127.0.0.1" as port 0.
        var bare = value.StartsWith('[') && value.EndsWith(']') ? value[1..^1] : value;
        if (IsAddress(bare, out var address))
        {
            endPoint = new IPEndPoint(address, defaultPort);
            return true;
        }

        if (IPEndPoint.TryParse(value, out var parsed) && HasPort(value) && IsAddress(HostOf(value), out _))
        {
            endPoint = parsed;
            return true;
        }

        error = string.Create(CultureInfo.InvariantCulture,
            $"invalid address \"{value}\": expected ip:port (e.g. 127.0.0.1:{defaultPort}, [::1]:{defaultPort}, 0.0.0.0:0) or an IP alone");
        return false;
    }

    // IPAddress.TryParse also takes the old numeric forms ("10249" is 0.0.39.49); Go does not.
    private static bool IsAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var dotted = text.Count(c => c == '.') == 3 && !text.Contains(':', StringComparison.Ordinal);
        var v6 = text.Contains(':', StringComparison.Ordinal) && !text.Contains('[', StringComparison.Ordinal);
        return (dotted || v6) && IPAddress.TryParse(text, out address!);
    }

    private static string HostOf(string value)
    {
        var host = value[..value.LastIndexOf(':')];
        return host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
    }

    private static bool HasPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && colon < value.Length - 1 && (!value.Contains(']', StringComparison.Ordinal) || value[colon - 1] == ']');
    }
}
