using System.Security.Cryptography;
using System.Text;
using KubeProxyFast.ApiServer.Registry.Encryption;

namespace KubeProxyFast.ApiServer.Tests.Registry.Encryption;

/// <summary>The providers of one resource: the first writes, all read; values in Kubernetes' format; failures name the key, never the value.</summary>
public sealed class TransformerChainTests
{
    private const string Key = "/registry/secrets/default/s";

    private static readonly byte[] K1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] K2 = RandomNumberGenerator.GetBytes(16);

    private static byte[] Plain => "{\"data\":{\"password\":\"aHVudGVyMg==\"}}"u8.ToArray();

    [Fact]
    public void Write_AesGcm_IsKubernetesLayoutWithTheStoreKeyAsAssociatedData()
    {
        var stored = new AesGcmTransformer("key1", K1).Write(Plain, Key);

        // k8s:enc:aesgcm:v1:key1: | nonce (12) | ciphertext | tag (16), checked with the platform's AES-GCM.
        var prefix = "k8s:enc:aesgcm:v1:key1:"u8.ToArray();
        Assert.Equal(prefix, stored[..prefix.Length]);
        var body = stored.AsSpan(prefix.Length);
        var plain = new byte[body.Length - 28];
        using var aes = new AesGcm(K1, 16);
        aes.Decrypt(body[..12], body[12..^16], body[^16..], plain, Encoding.UTF8.GetBytes(Key));
        Assert.Equal(Plain, plain);
    }

    [Fact]
    public void Write_SameValueTwice_UsesFreshNonces()
    {
        var transformer = new AesGcmTransformer("key1", K1);

        Assert.NotEqual(transformer.Write(Plain, Key), transformer.Write(Plain, Key));
    }

    [Fact]
    public void Read_RotatedChain_OldKeyStillDecryptsNewKeyWrites()
    {
        var before = new TransformerChain([new AesGcmTransformer("key1", K1)]);
        var after = new TransformerChain([new AesGcmTransformer("key2", K2), new AesGcmTransformer("key1", K1)]);
        var old = before.Write(Plain, Key);

        var written = after.Write(Plain, Key);

        Assert.Equal(Plain, after.Read(old, Key));
        Assert.StartsWith("k8s:enc:aesgcm:v1:key2:", Encoding.ASCII.GetString(written), StringComparison.Ordinal);
        var e = Assert.Throws<UndecryptableValueException>(() => before.Read(written, Key));
        Assert.Equal($"unable to transform key \"{Key}\": it was written with aesgcm key \"key2\", which the encryption configuration does not hold", e.Message);
    }

    [Fact]
    public void Read_ValueMovedToAnotherKey_DoesNotAuthenticate()
    {
        var chain = new TransformerChain([new AesGcmTransformer("key1", K1)]);
        var stored = chain.Write(Plain, Key);

        var e = Assert.Throws<UndecryptableValueException>(() => chain.Read(stored, "/registry/secrets/default/other"));

        Assert.Contains("it does not decrypt with aesgcm key \"key1\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TamperedValue_IsRefusedWithoutQuotingIt()
    {
        var chain = new TransformerChain([new AesGcmTransformer("key1", K1)]);
        var stored = chain.Write(Plain, Key);
        stored[^1] ^= 1;

        var e = Assert.Throws<UndecryptableValueException>(() => chain.Read(stored, Key));

        Assert.Equal(Key, e.Key);
        Assert.DoesNotContain("aHVudGVyMg", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PlainValue_NeedsIdentity()
    {
        var encrypting = new TransformerChain([new AesGcmTransformer("key1", K1)]);
        var migrating = new TransformerChain([new AesGcmTransformer("key1", K1), new IdentityTransformer()]);

        Assert.Equal(Plain, migrating.Read(Plain, Key));
        Assert.Contains("it is not encrypted", Assert.Throws<UndecryptableValueException>(() => encrypting.Read(Plain, Key)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_IdentityFirst_StillReadsEncryptedValues()
    {
        var decrypting = new TransformerChain([new IdentityTransformer(), new AesGcmTransformer("key1", K1)]);
        var stored = new AesGcmTransformer("key1", K1).Write(Plain, Key);

        Assert.Equal(Plain, decrypting.Read(stored, Key));
        Assert.Equal(Plain, decrypting.Write(Plain, Key));
    }

    [Fact]
    public void AesCbc_RoundTrip_KubernetesLayout()
    {
        var transformer = new AesCbcTransformer("cbc", K1);

        var stored = transformer.Write(Plain, Key);

        var prefix = "k8s:enc:aescbc:v1:cbc:"u8.ToArray();
        Assert.Equal(prefix, stored[..prefix.Length]);
        using var aes = Aes.Create();
        aes.Key = K1;
        Assert.Equal(Plain, aes.DecryptCbc(stored.AsSpan(prefix.Length + 16), stored.AsSpan(prefix.Length, 16), PaddingMode.PKCS7));
        Assert.Equal(Plain, new TransformerChain([transformer]).Read(stored, Key));
    }
}
