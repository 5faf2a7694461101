namespace KubeProxyFast.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    private static readonly StoreListOptions AllItems = new();

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The revision is in the future (etcd refuses it too).</exception>
    public Task<StoreList> ListAsync(string prefix, StoreListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        options ??= AllItems;
        ArgumentOutOfRangeException.ThrowIfNegative(options.Limit);
        lock (_lock)
        {
            ThrowIfDisposed();
            var at = options.Revision == 0 ? _revision : options.Revision;
            ArgumentOutOfRangeException.ThrowIfGreaterThan(at, _revision, "options.Revision");
            if (at < _history.CompactRevision)
            {
                throw new StoreCompactedException(at, _history.CompactRevision);
            }

            var source = at == _revision ? _keys.Range(prefix, options.StartAfter) : RangeAt(prefix, options.StartAfter, at);
            var items = new List<StoreValue>();
            long matched = 0;
            // Counting past the limit is what etcd does for its `count` too: Remaining must be exact.
            foreach (var value in source)
            {
                matched++;
                if (options.Limit == 0 || items.Count < options.Limit)
                {
                    items.Add(value);
                }
            }

            return Task.FromResult(new StoreList(items, at, matched - items.Count));
        }
    }

    /// <summary>The range as it was at <paramref name="revision"/>: the current range with every later change undone.</summary>
    private IEnumerable<StoreValue> RangeAt(string prefix, string? startAfter, long revision)
    {
        var undone = new Dictionary<string, StoreValue?>(StringComparer.Ordinal);
        var first = _history.IndexAfter(revision);
        // Newest first, so the oldest change after the revision has the last word: its previous value is the value at the revision.
        for (var i = _history.End - 1; i >= first; i--)
        {
            var e = _history[i];
            if (e.Key.StartsWith(prefix, StringComparison.Ordinal) && (startAfter is null || string.CompareOrdinal(e.Key, startAfter) > 0))
            {
                undone[e.Key] = e.Previous;
            }
        }

        if (undone.Count == 0)
        {
            return _keys.Range(prefix, startAfter);
        }

        var merged = new SortedDictionary<string, StoreValue?>(StringComparer.Ordinal);
        foreach (var value in _keys.Range(prefix, startAfter))
        {
            merged[value.Key] = value;
        }

        foreach (var (key, value) in undone)
        {
            merged[key] = value;
        }

        return merged.Values.OfType<StoreValue>();
    }
}
