namespace KubeProxyFast.Client.Events;

/// <summary>A bounded map that forgets the least recently used entry first (client-go's groupcache LRU). Not thread-safe.</summary>
internal sealed class LruCache<TValue>(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, TValue Value)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, TValue Value)> _order = new();

    /// <summary>Entries held, at most the capacity.</summary>
    public int Count => _entries.Count;

    /// <summary>The value of <paramref name="key"/>, marked as just used.</summary>
    public bool TryGet(string key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Sets <paramref name="key"/>, forgetting the least recently used entry when full.</summary>
    public void Set(string key, TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _order.Remove(node);
        }
        else if (_entries.Count >= capacity)
        {
            _entries.Remove(_order.Last!.Value.Key);
            _order.RemoveLast();
        }

        _entries[key] = _order.AddFirst((key, value));
    }
}
