using System.Net;
using System.Net.Sockets;
using KubeProxyFast.ApiServer.Errors;

namespace KubeProxyFast.ApiServer.Proxy;

/// <summary>
/// Which addresses the proxy subresources may connect to, as Kubernetes' <c>proxyutil.IsProxyableIP</c>
/// decides (<c>net.IP.IsGlobalUnicast</c>): never loopback, link-local, unspecified, multicast or
/// broadcast, and never the apiserver's own endpoint. Otherwise any object writer could make the
/// apiserver fetch from services that trust the local machine, or from itself, one hop inside
/// another (the attack pass reached 300 nested hops and exhausted the open files).
/// </summary>
internal sealed class ProxyAddressPolicy
{
    private readonly Func<IPEndPoint> _self;

    /// <param name="self">The apiserver's own endpoint (its bind address and port), read when checking: the port is known only once it listens.</param>
    public ProxyAddressPolicy(Func<IPEndPoint> self) => _self = self;

    /// <summary>Whether <paramref name="destination"/> may be proxied to.</summary>
    public bool Allows(ProxyDestination destination) => Refusal(destination.Address, destination.Port) is null;

    /// <summary>
    /// Throws 400 "address not allowed" (Kubernetes' words, with the reason) when
    /// <paramref name="destination"/> may not be proxied to; <paramref name="name"/> is the host name it came from, if any.
    /// </summary>
    public void Check(ProxyDestination destination, string? name = null)
    {
        if (Refusal(destination.Address, destination.Port) is { } why)
        {
            throw StatusErrors.BadRequest($"address not allowed: {destination}{(name is null ? "" : " (" + name + ")")} is {why}");
        }
    }

    private string? Refusal(IPAddress address, int port)
    {
        // ::ffff:127.0.0.1 is 127.0.0.1 to the kernel.
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        // The host hands the address it bound: already unmapped.
        var self = _self();
        if (port == self.Port && ip.Equals(self.Address))
        {
            return "this apiserver's own address";
        }

        if (IPAddress.IsLoopback(ip))
        {
            return "a loopback address";
        }

        if (ip.Equals(IPAddress.IPv6Any))
        {
            return "the unspecified address";
        }

        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            ip.TryWriteBytes(b, out _);
            return (b[0], b[1]) switch
            {
                // Go counts only 0.0.0.0 as unspecified, but Linux connects 0.0.0.0 to this machine: refuse all of 0/8.
                (0, _) => "an unspecified address (0.0.0.0/8)",
                (169, 254) => "a link-local address",
                ( >= 224 and <= 239, _) => "a multicast address",
                (255, 255) when b[2] == 255 && b[3] == 255 => "the broadcast address",
                _ => null,
            };
        }

        return ip.IsIPv6LinkLocal ? "a link-local address"
            : ip.IsIPv6Multicast ? "a multicast address"
            : null;
    }
}
