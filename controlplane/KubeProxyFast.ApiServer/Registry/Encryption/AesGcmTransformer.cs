using System.Security.Cryptography;
using System.Text;

namespace KubeProxyFast.ApiServer.Registry.Encryption;

/// <summary>
/// Kubernetes' <c>aesgcm</c> provider, one key: <c>k8s:enc:aesgcm:v1:&lt;name&gt;:</c> then a 12-byte
/// nonce, the ciphertext and the 16-byte tag, with the store key as associated data (a value
/// copied under another key does not decrypt), so values written by kube-apiserver read here and
/// back.
/// </summary>
/// <remarks>
/// Nonces are random, as Kubernetes' static-key provider makes them: no counter to persist or to
/// lose in a restore. Two writes collide with probability about n²/2⁹⁷ after n writes under one
/// key; NIST SP 800-38D bounds random-nonce use at 2³² writes per key, and Kubernetes'
/// documentation asks for rotation every 200,000 writes, which the README repeats.
/// </remarks>
internal sealed class AesGcmTransformer : ValueTransformer
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _prefix;
    private readonly byte[] _key;

    /// <summary>A transformer for the key <paramref name="name"/> of 16, 24 or 32 bytes.</summary>
    public AesGcmTransformer(string name, byte[] key)
    {
        KeyName = name;
        _key = key;
        _prefix = Prefix(Provider, name);
    }

    public override string Provider => "aesgcm";

    public override string KeyName { get; }

    public override bool Recognises(ReadOnlySpan<byte> stored) => stored.StartsWith(_prefix);

    public override byte[] Write(ReadOnlySpan<byte> plain, string key)
    {
        var stored = new byte[_prefix.Length + NonceBytes + plain.Length + TagBytes];
        _prefix.CopyTo(stored, 0);
        var body = stored.AsSpan(_prefix.Length);
        var nonce = body[..NonceBytes];
        RandomNumberGenerator.Fill(nonce);
        // AesGcm is not safe for concurrent use: one per call (its key schedule is microseconds).
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, body.Slice(NonceBytes, plain.Length), body[(NonceBytes + plain.Length)..], Encoding.UTF8.GetBytes(key));
        return stored;
    }

    public override byte[]? Read(ReadOnlySpan<byte> stored, string key)
    {
        var body = stored[_prefix.Length..];
        if (body.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        var plain = new byte[body.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        try
        {
            aes.Decrypt(body[..NonceBytes], body.Slice(NonceBytes, plain.Length), body[(NonceBytes + plain.Length)..], plain, Encoding.UTF8.GetBytes(key));
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
