using System.Text;

namespace KubeProxyFast.ApiServer.Registry.Encryption;

/// <summary>
/// The providers of one resource, in the configuration's order: the first writes every value,
/// all of them read (a key being rotated out still decrypts what it wrote).
/// </summary>
internal sealed class TransformerChain
{
    private readonly ValueTransformer[] _transformers;

    /// <summary>A chain of at least one transformer.</summary>
    public TransformerChain(IReadOnlyList<ValueTransformer> transformers)
    {
        if (transformers.Count == 0)
        {
            throw new ArgumentException("a resource needs at least one provider", nameof(transformers));
        }

        _transformers = [.. transformers];
    }

    /// <summary>The transformer that writes: the first.</summary>
    public ValueTransformer Writer => _transformers[0];

    /// <summary>The stored form of <paramref name="plain"/> under <paramref name="key"/>.</summary>
    public byte[] Write(ReadOnlySpan<byte> plain, string key) => _transformers[0].Write(plain, key);

    /// <summary>The plain value of <paramref name="stored"/>, read by whichever transformer wrote it.</summary>
    /// <exception cref="UndecryptableValueException">No transformer of the chain can read it; the message says why, never the value.</exception>
    public byte[] Read(ReadOnlySpan<byte> stored, string key)
    {
        ValueTransformer? failed = null;
        foreach (var transformer in _transformers)
        {
            if (!transformer.Recognises(stored))
            {
                continue;
            }

            if (transformer.Read(stored, key) is { } plain)
            {
                return plain;
            }

            failed ??= transformer;
        }

        if (failed is not null)
        {
            throw new UndecryptableValueException(key,
                $"it does not decrypt with {failed.Provider} key \"{failed.KeyName}\" (the key of that name was changed, or the value is damaged)");
        }

        if (!stored.StartsWith(ValueTransformer.EncryptedMark))
        {
            throw new UndecryptableValueException(key, "it is not encrypted, and its resource has no identity provider in the encryption configuration");
        }

        throw new UndecryptableValueException(key, $"it was written with {WrittenWith(stored)}, which the encryption configuration does not hold");
    }

    /// <summary>"aesgcm key \"old\"", read from the prefix <c>k8s:enc:aesgcm:v1:old:</c> (names are never secret).</summary>
    private static string WrittenWith(ReadOnlySpan<byte> stored)
    {
        var rest = stored[ValueTransformer.EncryptedMark.Length..];
        var head = Encoding.UTF8.GetString(rest[..Math.Min(rest.Length, 300)]);
        var parts = head.Split(':', 4);
        return parts.Length == 4
            ? $"{parts[0]} key \"{parts[2]}\""
            : "an unknown provider";
    }
}

/// <summary>A stored value that no provider configured for its resource can read.</summary>
internal sealed class UndecryptableValueException(string key, string reason)
    : Exception($"unable to transform key \"{key}\": {reason}")
{
    /// <summary>The store key of the value.</summary>
    public string Key { get; } = key;
}
