using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

/// <summary>
/// The 16-character suffix of a per-service-port or per-endpoint chain name, computed as kube-proxy
/// computes it: SHA-256 of <c>ns/name:port</c> + protocol (+ <c>ip:port</c> of the endpoint),
/// the first 10 bytes (80 bits) in RFC 4648 base32, uppercase. Equal inputs give equal names on
/// every node and every run, which is what lets a restart find its own chains.
/// </summary>
internal static class ChainHash
{
    /// <summary>Bytes of the digest kept: 10 bytes are exactly 16 base32 characters.</summary>
    public const int Bytes = 10;

    /// <summary>Characters of the printed hash.</summary>
    public const int Chars = 16;

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    // Ids are at most ~240 ASCII characters once validated (they go into a 255-byte comment), so
    // the stable string fits on the stack; the heap path is for unvalidated callers only.
    private const int StackInputLimit = 512;

    /// <summary>Writes the hash of a service port (<paramref name="endpoint"/> null) or of one of its endpoints.</summary>
    public static void Compute(ServicePortId id, L4Protocol protocol, IPEndPoint? endpoint, Span<byte> hash)
    {
        var max = Encoding.UTF8.GetMaxByteCount(id.Namespace.Length + id.Name.Length + id.Port.Length) + 2 + 3 + 22;
        var input = max <= StackInputLimit ? stackalloc byte[StackInputLimit] : new byte[max];
        var n = Encoding.UTF8.GetBytes(id.Namespace, input);
        input[n++] = (byte)'/';
        n += Encoding.UTF8.GetBytes(id.Name, input[n..]);
        input[n++] = (byte)':';
        n += Encoding.UTF8.GetBytes(id.Port, input[n..]);
        n += Encoding.UTF8.GetBytes(protocol == L4Protocol.Udp ? "udp" : "tcp", input[n..]);
        if (endpoint is not null)
        {
            endpoint.Address.TryFormat(input[n..], out var written);
            n += written;
            input[n++] = (byte)':';
            endpoint.Port.TryFormat(input[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..n], digest);
        digest[..Bytes].CopyTo(hash);
    }

    /// <summary>Prints the 10 hash bytes as 16 base32 characters.</summary>
    public static void Encode(ReadOnlySpan<byte> hash, Span<char> chars)
    {
        // Two 40-bit groups, eight 5-bit characters each, most significant first (RFC 4648).
        for (var group = 0; group < 2; group++)
        {
            var bits = 0UL;
            for (var i = 0; i < 5; i++)
            {
                bits = (bits << 8) | hash[(group * 5) + i];
            }

            for (var i = 7; i >= 0; i--)
            {
                chars[(group * 8) + i] = Base32Alphabet[(int)(bits & 31)];
                bits >>= 5;
            }
        }
    }
}
