using System.Text;

namespace KubeProxyFast.ApiServer.Registry.Encryption;

/// <summary>
/// One way to write stored values and to recognise those it wrote: a provider's key, as
/// Kubernetes' prefix transformers. Encrypted values start with
/// <c>k8s:enc:&lt;provider&gt;:v1:&lt;key name&gt;:</c>; the identity transformer writes values as they are.
/// </summary>
internal abstract class ValueTransformer
{
    /// <summary>What every encrypted value starts with, whatever its provider.</summary>
    public static ReadOnlySpan<byte> EncryptedMark => "k8s:enc:"u8;

    /// <summary>The provider, as the configuration names it: <c>aesgcm</c>, <c>aescbc</c>, <c>identity</c>.</summary>
    public abstract string Provider { get; }

    /// <summary>The name of the key, or empty for identity.</summary>
    public abstract string KeyName { get; }

    /// <summary>Whether <paramref name="stored"/> was written by this transformer (its prefix).</summary>
    public abstract bool Recognises(ReadOnlySpan<byte> stored);

    /// <summary>The stored form of <paramref name="plain"/> under the store key <paramref name="key"/>.</summary>
    public abstract byte[] Write(ReadOnlySpan<byte> plain, string key);

    /// <summary>The plain value of <paramref name="stored"/> (which it <see cref="Recognises"/>), or null when it does not authenticate.</summary>
    public abstract byte[]? Read(ReadOnlySpan<byte> stored, string key);

    /// <summary>The prefix Kubernetes writes for a provider's key: <c>k8s:enc:aesgcm:v1:key1:</c>.</summary>
    protected static byte[] Prefix(string provider, string keyName) => Encoding.UTF8.GetBytes($"k8s:enc:{provider}:v1:{keyName}:");
}

/// <summary>The identity provider: values stored as they are; it reads any value that is not encrypted.</summary>
internal sealed class IdentityTransformer : ValueTransformer
{
    public override string Provider => "identity";

    public override string KeyName => "";

    public override bool Recognises(ReadOnlySpan<byte> stored) => !stored.StartsWith(EncryptedMark);

    public override byte[] Write(ReadOnlySpan<byte> plain, string key) => plain.ToArray();

    public override byte[]? Read(ReadOnlySpan<byte> stored, string key) => stored.ToArray();
}
