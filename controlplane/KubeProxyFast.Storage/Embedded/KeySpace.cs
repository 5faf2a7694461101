namespace KubeProxyFast.Storage.Embedded;

/// <summary>
/// The current value of every key: a hash map for point reads and an ordinal sorted set for
/// range reads. Not thread-safe: the store mutates it under its lock, from the writer only.
/// </summary>
internal sealed class KeySpace
{
    private readonly Dictionary<string, StoreValue> _values = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary>How many keys exist.</summary>
    public int Count => _values.Count;

    /// <summary>The key's value, or null.</summary>
    public StoreValue? Get(string key) => _values.GetValueOrDefault(key);

    /// <summary>Sets the key's value.</summary>
    public void Put(StoreValue value)
    {
        if (_values.TryAdd(value.Key, value))
        {
            _keys.Add(value.Key);
        }
        else
        {
            _values[value.Key] = value;
        }
    }

    /// <summary>Removes the key.</summary>
    public void Remove(string key)
    {
        if (_values.Remove(key))
        {
            _keys.Remove(key);
        }
    }

    /// <summary>Every value, in key order.</summary>
    public IEnumerable<StoreValue> All()
    {
        foreach (var key in _keys)
        {
            yield return _values[key];
        }
    }

    /// <summary>The values whose keys start with <paramref name="prefix"/> and sort after <paramref name="startAfter"/>, in key order.</summary>
    public IEnumerable<StoreValue> Range(string prefix, string? startAfter)
    {
        if (_keys.Count == 0)
        {
            yield break;
        }

        var lower = startAfter is not null && string.CompareOrdinal(startAfter, prefix) > 0 ? startAfter : prefix;
        // The view's bounds are inclusive; an upper bound just past the prefix keeps the view (whose
        // creation counts its members) from spanning the rest of the key space.
        var upper = PrefixEnd(prefix) ?? _keys.Max!;
        if (string.CompareOrdinal(lower, upper) > 0)
        {
            yield break;
        }

        foreach (var key in _keys.GetViewBetween(lower, upper))
        {
            // Every key here is >= prefix, so the first one without the prefix sorts after all that have it.
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield break;
            }

            if (startAfter is null || string.CompareOrdinal(key, startAfter) > 0)
            {
                yield return _values[key];
            }
        }
    }

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/>; null when there is none.</summary>
    internal static string? PrefixEnd(string prefix)
    {
        var end = prefix.TrimEnd('\uffff');
        return end.Length == 0 ? null : string.Concat(end.AsSpan(0, end.Length - 1), [(char)(end[^1] + 1)]);
    }
}
