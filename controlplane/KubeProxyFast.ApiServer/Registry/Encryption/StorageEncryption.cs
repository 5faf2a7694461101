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
    /// <c>*.group</c>, then <c>*.*</c>. A resource named in several entries has all their providers,
    /// in the file's order (the parser refuses one named after a wildcard that covers it).
    /// </summary>
    internal TransformerChain? For(string resource, string group) =>
        Find(resource, group) ?? Find("*", group) ?? Find("*", "*");

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
