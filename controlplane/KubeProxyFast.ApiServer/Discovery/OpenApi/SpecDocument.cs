using System.Security.Cryptography;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// One served OpenAPI document: its bytes and their hash, the upper-case hex SHA-512 that
/// Kubernetes uses both as the ETag and as the <c>?hash=</c> of the v3 index's URLs.
/// </summary>
internal sealed class SpecDocument
{
    public SpecDocument(byte[] json)
    {
        Json = json;
        Hash = Convert.ToHexString(SHA512.HashData(json));
    }

    /// <summary>The document, as JSON.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>Upper-case hex SHA-512 of <see cref="Json"/>.</summary>
    public string Hash { get; }

    /// <summary>The ETag header value: the hash, quoted.</summary>
    public string ETag => "\"" + Hash + "\"";
}
