using System.Net;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

/// <summary>
/// The names of the per-service-port and per-endpoint chains the renderer writes, for callers
/// that look a chain up in <c>iptables-save</c> output or in a log. Each name is a prefix and 16
/// base32 characters of a SHA-256 (see <c>README.md</c>), 25 characters in all.
/// </summary>
public static class IptablesChainNames
{
    /// <summary><c>KUBE-SVC-…</c>: the chain that balances over the port's endpoints.</summary>
    public static string ServicePort(ServicePortId id, L4Protocol protocol) => Name(KubeChains.ServicePortPrefix, id, protocol, null);

    /// <summary><c>KUBE-EXT-…</c>: the chain node-port and external-IP traffic takes (masquerade, then KUBE-SVC).</summary>
    public static string External(ServicePortId id, L4Protocol protocol) => Name(KubeChains.ExternalPrefix, id, protocol, null);

    /// <summary><c>KUBE-SEP-…</c>: the chain that DNATs to <paramref name="endpoint"/>.</summary>
    public static string Endpoint(ServicePortId id, L4Protocol protocol, IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Name(KubeChains.EndpointPrefix, id, protocol, endpoint);
    }

    private static string Name(string prefix, ServicePortId id, L4Protocol protocol, IPEndPoint? endpoint)
    {
        Span<byte> hash = stackalloc byte[ChainHash.Bytes];
        ChainHash.Compute(id, protocol, endpoint, hash);
        Span<char> name = stackalloc char[KubeChains.MaxChainNameLength];
        prefix.CopyTo(name);
        ChainHash.Encode(hash, name[prefix.Length..]);
        return new string(name[..(prefix.Length + ChainHash.Chars)]);
    }
}
