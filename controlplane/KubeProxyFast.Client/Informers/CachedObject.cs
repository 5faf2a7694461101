namespace KubeProxyFast.Client.Informers;

/// <summary>
/// One object as the cache holds it: its JSON, never changed after it is made, so the cache,
/// every buffered notification and every copy-on-delivery share it safely.
/// </summary>
internal sealed class CachedObject(string key, string? resourceVersion, byte[] json)
{
    /// <summary><c>namespace/name</c>, or <c>name</c> for cluster-scoped kinds.</summary>
    public string Key { get; } = key;

    public string? ResourceVersion { get; } = resourceVersion;

    public byte[] Json { get; } = json;
}
