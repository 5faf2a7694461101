using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Client;

/// <summary>
/// The informer's objects keyed <c>namespace/name</c> (<c>name</c> for cluster-scoped kinds), with
/// named indexes from a computed value to the keys of the objects that have it. One lock guards
/// both, so a reader never sees an object in the map but not yet in its indexes.
/// </summary>
internal sealed class InformerCache<T>
    where T : KubeObject
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Index> _indexes = new(StringComparer.Ordinal);

    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    public static string KeyOf(T obj) => Key(obj.Metadata.Namespace, obj.Metadata.Name ?? "");

    public T? Get(string key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public List<T> List()
    {
        lock (_lock)
        {
            return [.. _items.Values];
        }
    }

    public List<string> Keys()
    {
        lock (_lock)
        {
            return [.. _items.Keys];
        }
    }

    public List<T> ByIndex(string name, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(name, out var index))
            {
                throw new ArgumentException($"no index named \"{name}\"", nameof(name));
            }

            var result = new List<T>();
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

    /// <summary>Adds an index over the objects already cached and those to come.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> values)
    {
        lock (_lock)
        {
            var index = new Index(values);
            if (!_indexes.TryAdd(name, index))
            {
                throw new ArgumentException($"an index named \"{name}\" exists", nameof(name));
            }

            foreach (var (key, obj) in _items)
            {
                index.Add(key, obj);
            }
        }
    }

    /// <summary>Stores <paramref name="obj"/>; returns the object it replaced, or null.</summary>
    public T? Upsert(T obj)
    {
        var key = KeyOf(obj);
        lock (_lock)
        {
            var old = _items.GetValueOrDefault(key);
            _items[key] = obj;
            foreach (var index in _indexes.Values)
            {
                if (old is not null)
                {
                    index.Remove(key, old);
                }

                index.Add(key, obj);
            }

            return old;
        }
    }

    /// <summary>Removes the object under <paramref name="key"/>; returns it, or null when there was none.</summary>
    public T? Remove(string key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            foreach (var index in _indexes.Values)
            {
                index.Remove(key, old);
            }

            return old;
        }
    }

    private sealed class Index(Func<T, IEnumerable<string>> values)
    {
        public Dictionary<string, HashSet<string>> Keys { get; } = new(StringComparer.Ordinal);

        public void Add(string key, T obj)
        {
            foreach (var value in values(obj))
            {
                if (!Keys.TryGetValue(value, out var keys))
                {
                    Keys[value] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(key);
            }
        }

        public void Remove(string key, T obj)
        {
            foreach (var value in values(obj))
            {
                if (Keys.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    Keys.Remove(value);
                }
            }
        }
    }
}
