using System.Security.Cryptography;
using System.Text;

namespace KubeProxyFast.Pki;

/// <summary>
/// The CA pin of a join token, as k3s's <c>K10&lt;hash&gt;::…</c>: the SHA-256 of the server CA
/// bundle exactly as the server serves it (its PEM bytes), in lowercase hex. An agent fetches the
/// bundle, hashes it and trusts it only when the hash matches the token's: no trust on first use.
/// </summary>
public static class CaHash
{
    /// <summary>The hex SHA-256 of <paramref name="caBundlePem"/>.</summary>
    public static string Of(ReadOnlySpan<byte> caBundlePem) => Convert.ToHexStringLower(SHA256.HashData(caBundlePem));

    /// <summary>The hex SHA-256 of PEM text (hashed as its ASCII bytes).</summary>
    public static string Of(string caBundlePem)
    {
        ArgumentNullException.ThrowIfNull(caBundlePem);
        return Of(Encoding.ASCII.GetBytes(caBundlePem));
    }

    /// <summary>True when <paramref name="caBundlePem"/> hashes to <paramref name="expectedHex"/> (compared in constant time).</summary>
    public static bool Matches(ReadOnlySpan<byte> caBundlePem, string expectedHex)
    {
        ArgumentNullException.ThrowIfNull(expectedHex);
        var actual = Encoding.ASCII.GetBytes(Of(caBundlePem));
        var expected = Encoding.ASCII.GetBytes(expectedHex.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
