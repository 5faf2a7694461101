using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client.Informers;

/// <summary>
/// Reads of a <see cref="SharedInformer{T}"/>'s cache. Every object returned is decoded for the
/// caller alone (changing it changes nothing else), so a read costs a decode per object.
/// </summary>
public sealed class Lister<T>
    where T : KubeObject
{
    private readonly InformerCache<T> _cache;

    internal Lister(InformerCache<T> cache) => _cache = cache;

    /// <summary>Objects in the cache.</summary>
    public int Count => _cache.Count;

    /// <summary>The cached object, or null; <paramref name="ns"/> is null for cluster-scoped kinds.</summary>
    public T? Get(string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _cache.Get(InformerCache<T>.Key(ns, name)) is { } entry ? KubeJson.Deserialize<T>(entry.Json) : null;
    }

    /// <summary>Every cached object.</summary>
    public IReadOnlyList<T> List() => Decode(_cache.List());

    /// <summary>The cached objects whose index <paramref name="name"/> has <paramref name="value"/> (e.g. <see cref="IndexNames.Namespace"/>, "default").</summary>
    /// <exception cref="ArgumentException">No index has that name.</exception>
    public IReadOnlyList<T> ByIndex(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return Decode(_cache.ByIndex(name, value));
    }

    /// <summary>
    /// The key (<c>namespace/name</c>) and resourceVersion of each cached object whose index
    /// <paramref name="name"/> has <paramref name="value"/>, decoding none: a caller that keeps
    /// its own projection of each object, by version, decodes (<see cref="GetByKey"/>) only the
    /// objects that changed since it last looked.
    /// </summary>
    /// <exception cref="ArgumentException">No index has that name.</exception>
    public IReadOnlyList<CachedVersion> VersionsByIndex(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var entries = _cache.ByIndex(name, value);
        var result = new CachedVersion[entries.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new CachedVersion(entries[i].Key, entries[i].ResourceVersion);
        }

        return result;
    }

    /// <summary>The cached object under <paramref name="key"/> (<c>namespace/name</c>, or <c>name</c> for cluster-scoped kinds), or null.</summary>
    public T? GetByKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _cache.Get(key) is { } entry ? KubeJson.Deserialize<T>(entry.Json) : null;
    }

    private static T[] Decode(IReadOnlyList<CachedObject> entries)
    {
        var result = new T[entries.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = KubeJson.Deserialize<T>(entries[i].Json);
        }

        return result;
    }
}
