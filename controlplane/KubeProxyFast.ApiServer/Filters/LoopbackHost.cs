using System.Globalization;
using System.Net;
using KubeProxyFast.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Filters;

/// <summary>
/// The DNS-rebinding defence of a plain-HTTP loopback server: a page on <c>evil.example</c>
/// whose name is re-pointed at 127.0.0.1 reaches this port with <c>Host: evil.example</c>, and
/// the browser treats the answers as that page's own. Only requests addressed to a loopback
/// name or address are served: <c>localhost</c>, 127.0.0.0/8 and <c>[::1]</c> (IPv4-mapped
/// included), with or without a port.
/// </summary>
internal static class LoopbackHost
{
    /// <summary>Refuses a request whose <c>Host</c> is not loopback.</summary>
    /// <exception cref="StatusException">403 naming the host.</exception>
    public static void Check(HttpContext http)
    {
        var host = http.Request.Headers.Host.ToString();
        // HTTP/1.0 may omit Host (Kestrel refuses HTTP/1.1 without one); browsers always send it.
        if (host.Length > 0 && !IsLoopback(host))
        {
            throw StatusErrors.ForbiddenRequest(
                $"host \"{host}\" is not allowed: this apiserver serves plain HTTP on loopback, so it answers only requests addressed to localhost, 127.0.0.0/8 or [::1] (a defence against DNS rebinding)");
        }
    }

    /// <summary>True for a <c>Host</c> header value (host and optional port) that names loopback.</summary>
    public static bool IsLoopback(string host)
    {
        string name;
        string port;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            name = host[1..close];
            port = host[(close + 1)..];
        }
        else
        {
            var colon = host.LastIndexOf(':');
            name = colon < 0 ? host : host[..colon];
            port = colon < 0 ? "" : host[colon..];
        }

        if (port.Length > 0 && (port[0] != ':' || !ushort.TryParse(port.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return false;
        }

        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.Equals("localhost.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // A literal address needs no name server, so no rebinding: any spelling of loopback will do.
        return IPAddress.TryParse(name, out var address)
            && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
