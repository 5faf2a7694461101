namespace KubeProxyFast.ApiServer.Registry.Encryption;

/// <summary>
/// Encryption at rest, as Kubernetes' <c>EncryptionConfiguration</c> (<c>--encryption-provider-config</c>):
/// for each resource, the providers its stored values go through. Build it with
/// <see cref="EncryptionConfigurationFile"/>; give it to the apiserver in <see cref="ApiServerOptions.Encryption"/>.
/// </summary>
public sealed class StorageEncryption
{
    private readonly IReadOnlyList<(string Resource, string Group, TransformerChain Chain)> _entries;

    internal StorageEncryption(IReadOnlyList<(string Resource, string Group, TransformerChain Chain)> entries) => _entries = entries;

    /// <summary>
    /// The providers of <paramref name="resource"/> in <paramref name="group"/> (empty for core), or null
    /// when none are configured (stored as is). As Kubernetes: the exact resource first, then
    /// <c>*.group</c>, then <c>*.*</c>; the first entry that names it wins.
    /// </summary>
    internal TransformerChain? For(string resource, string group) =>
        Find(resource, group) ?? Find("*", group) ?? Find("*", "*");

    /// <summary>One line per configured resource for the startup log: <c>secrets: aesgcm key "key1" writes; aesgcm, identity read</c>.</summary>
    public IReadOnlyList<string> Describe() =>
        [.. _entries.Select(e => $"{(e.Group.Length == 0 && e.Resource != "*" ? e.Resource : e.Resource + "." + e.Group)}: " +
            (e.Chain.Writer.KeyName.Length == 0 ? "stored unencrypted (identity)" : $"{e.Chain.Writer.Provider} key \"{e.Chain.Writer.KeyName}\" encrypts"))];

    private TransformerChain? Find(string resource, string group)
    {
        foreach (var entry in _entries)
        {
            if (entry.Resource == resource && entry.Group == group)
            {
                return entry.Chain;
            }
        }

        return null;
    }
}
