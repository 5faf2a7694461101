using System.Collections.Concurrent;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// Decoded objects of one resource, keyed by store key and mod revision, for the read paths that
/// need objects rather than bytes (lists with selectors, Tables for kubectl): a second list of
/// 10,000 pods decodes none of them again. An entry is used only for the exact revision it was
/// decoded from, so it can never be stale; the resource's watch cache evicts keys that change or
/// go, which keeps the entries to about the live objects (a list racing a delete may leave one behind).
/// Cached objects are shared: read, never changed.
/// </summary>
internal sealed class DecodedObjects
{
    private readonly ResourceDefinition _resource;
    private readonly ConcurrentDictionary<string, (long Revision, KubeObject Object)> _objects = new(StringComparer.Ordinal);

    public DecodedObjects(ResourceDefinition resource) => _resource = resource;

    /// <summary>Entries held.</summary>
    public int Count => _objects.Count;

    /// <summary>The object of <paramref name="value"/>, decoded once per revision.</summary>
    public KubeObject Get(StoreValue value)
    {
        if (_objects.TryGetValue(value.Key, out var entry) && entry.Revision == value.ModRevision)
        {
            return entry.Object;
        }

        var decoded = ObjectCodec.Decode(_resource, value);
        _objects[value.Key] = (value.ModRevision, decoded);
        return decoded;
    }

    /// <summary>The key changed or went: its entry is of no further use.</summary>
    public void Evict(string key) => _objects.TryRemove(key, out _);

    /// <summary>The watch that evicts restarted, so changes may have been missed: start empty.</summary>
    public void Clear() => _objects.Clear();
}
