using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client.Informers;

/// <summary>
/// An informer's objects keyed <c>namespace/name</c> (<c>name</c> for cluster-scoped kinds), held
/// as immutable JSON (<see cref="CachedObject"/>), with named indexes from a computed value to the
/// keys of the objects that have it. One lock guards both, so a reader never sees an object in the
/// map but not yet in its indexes; it is held for dictionary work only, never for a handler.
/// </summary>
internal sealed class InformerCache<T>
    where T : KubeObject
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CachedObject> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Index> _indexes = new(StringComparer.Ordinal);
    private readonly Action<string, string, Exception> _indexFailed;

    /// <summary>A cache that reports an index function throwing on an object (index name, key, error) to <paramref name="indexFailed"/>.</summary>
    public InformerCache(Action<string, string, Exception> indexFailed) => _indexFailed = indexFailed;

    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    public static string KeyOf(T obj) => Key(obj.Metadata.Namespace, obj.Metadata.Name ?? "");

    /// <summary>The entry of <paramref name="obj"/>: its key, version and JSON.</summary>
    public static CachedObject Entry(T obj) => new(KeyOf(obj), obj.Metadata.ResourceVersion, KubeJson.SerializeToUtf8Bytes(obj));

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    public CachedObject? Get(string key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public CachedObject[] List()
    {
        lock (_lock)
        {
            return [.. _items.Values];
        }
    }

    /// <summary>A copy of the map (references to the immutable entries).</summary>
    public Dictionary<string, CachedObject> Snapshot()
    {
        lock (_lock)
        {
            return new Dictionary<string, CachedObject>(_items, StringComparer.Ordinal);
        }
    }

    public List<CachedObject> ByIndex(string name, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(name, out var index))
            {
                throw new ArgumentException($"no index named \"{name}\"", nameof(name));
            }

            var result = new List<CachedObject>();
            if (index.Keys.TryGetValue(value, out var keys))
            {
                foreach (var key in keys)
                {
                    result.Add(_items[key]);
                }
            }

            return result;
        }
    }

    /// <summary>Adds an index over the objects already cached (decoded once each) and those to come.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> values)
    {
        lock (_lock)
        {
            var index = new Index(name, values, _indexFailed);
            if (!_indexes.TryAdd(name, index))
            {
                throw new ArgumentException($"an index named \"{name}\" exists", nameof(name));
            }

            foreach (var (key, entry) in _items)
            {
                index.Add(key, KubeJson.Deserialize<T>(entry.Json));
            }
        }
    }

    /// <summary>Stores <paramref name="entry"/>, indexed by <paramref name="obj"/> (its decoded form); returns the entry it replaced, or null.</summary>
    public CachedObject? Upsert(T obj, CachedObject entry)
    {
        lock (_lock)
        {
            var old = _items.GetValueOrDefault(entry.Key);
            _items[entry.Key] = entry;
            foreach (var index in _indexes.Values)
            {
                index.Remove(entry.Key);
                index.Add(entry.Key, obj);
            }

            return old;
        }
    }

    /// <summary>Removes the entry under <paramref name="key"/>; returns it, or null when there was none.</summary>
    public CachedObject? Remove(string key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            foreach (var index in _indexes.Values)
            {
                index.Remove(key);
            }

            return old;
        }
    }

    /// <summary>One index: value → keys, and key → its values (to remove an object without decoding its old state).</summary>
    private sealed class Index(string name, Func<T, IEnumerable<string>> values, Action<string, string, Exception> failed)
    {
        private readonly Dictionary<string, string[]> _valuesOf = new(StringComparer.Ordinal);

        public Dictionary<string, HashSet<string>> Keys { get; } = new(StringComparer.Ordinal);

        public void Add(string key, T obj)
        {
            string[] all;
            try
            {
                all = [.. values(obj)];
                if (all.Length > 1)
                {
                    // The built-in indexes give one value per object; only a custom one pays for this.
                    all = [.. all.Distinct(StringComparer.Ordinal)];
                }
            }
#pragma warning disable CA1031 // a caller's index function must not break the cache every handler reads; the object is left out of this index
            catch (Exception e)
#pragma warning restore CA1031
            {
                failed(name, key, e);
                all = [];
            }

            _valuesOf[key] = all;
            foreach (var value in all)
            {
                if (!Keys.TryGetValue(value, out var keys))
                {
                    Keys[value] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(key);
            }
        }

        public void Remove(string key)
        {
            if (!_valuesOf.Remove(key, out var old))
            {
                return;
            }

            foreach (var value in old)
            {
                if (Keys.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    Keys.Remove(value);
                }
            }
        }
    }
}
