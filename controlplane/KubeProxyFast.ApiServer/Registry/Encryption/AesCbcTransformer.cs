using System.Security.Cryptography;

namespace KubeProxyFast.ApiServer.Registry.Encryption;

/// <summary>
/// Kubernetes' <c>aescbc</c> provider, one key of 16, 24 or 32 bytes: <c>k8s:enc:aescbc:v1:&lt;name&gt;:</c>, a random
/// 16-byte IV, then the PKCS#7-padded ciphertext. Served so that data encrypted by a cluster that
/// used it can be read (and rotated to <c>aesgcm</c>); it authenticates nothing, which is why
/// Kubernetes no longer recommends it.
/// </summary>
internal sealed class AesCbcTransformer : ValueTransformer
{
    private const int IvBytes = 16;

    private readonly byte[] _prefix;
    private readonly byte[] _key;

    /// <summary>A transformer for the key <paramref name="name"/>.</summary>
    public AesCbcTransformer(string name, byte[] key)
    {
        KeyName = name;
        _key = key;
        _prefix = Prefix(Provider, name);
    }

    public override string Provider => "aescbc";

    public override string KeyName { get; }

    public override bool Recognises(ReadOnlySpan<byte> stored) => stored.StartsWith(_prefix);

    public override byte[] Write(ReadOnlySpan<byte> plain, string key)
    {
        using var aes = Aes.Create();
        aes.Key = _key;
        Span<byte> iv = stackalloc byte[IvBytes];
        RandomNumberGenerator.Fill(iv);
        var cipher = aes.EncryptCbc(plain, iv, PaddingMode.PKCS7);
        var stored = new byte[_prefix.Length + IvBytes + cipher.Length];
        _prefix.CopyTo(stored, 0);
        iv.CopyTo(stored.AsSpan(_prefix.Length));
        cipher.CopyTo(stored, _prefix.Length + IvBytes);
        return stored;
    }

    public override byte[]? Read(ReadOnlySpan<byte> stored, string key)
    {
        var body = stored[_prefix.Length..];
        if (body.Length < 2 * IvBytes || (body.Length - IvBytes) % IvBytes != 0)
        {
            return null;
        }

        using var aes = Aes.Create();
        aes.Key = _key;
        try
        {
            return aes.DecryptCbc(body[IvBytes..], body[..IvBytes], PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
