namespace KubeProxyFast.Storage.Embedded;

/// <summary>One key's change in a committed revision.</summary>
/// <param name="Revision">The revision that made it.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The new value; null for a delete.</param>
/// <param name="Previous">The value before; null when the key was absent.</param>
internal readonly record struct HistoryEvent(long Revision, string Key, StoreValue? Value, StoreValue? Previous)
{
    /// <summary>The event as a watch reports it.</summary>
    public StoreEvent ToStoreEvent() => Value is null
        ? new StoreEvent(StoreEventType.Deleted, Key, Previous!.Value, Revision, Previous.Value)
        : new StoreEvent(Previous is null ? StoreEventType.Created : StoreEventType.Updated, Key, Value.Value, Revision, Previous?.Value ?? default);
}

/// <summary>
/// Every change with a revision greater than <see cref="Floor"/>, in revision order: what
/// watches replay and what a list at an old revision undoes. Not thread-safe (the store's lock).
/// </summary>
internal sealed class History
{
    private readonly List<HistoryEvent> _events = [];
    private int _start;

    /// <param name="floor">The revision from which history is complete (the state at it is known).</param>
    public History(long floor) => Floor = floor;

    /// <summary>History holds every change after this revision: reads at it or later, and watches from it or later, can be served.</summary>
    public long Floor { get; private set; }

    /// <summary>The index one past the newest event.</summary>
    public int End => _events.Count;

    /// <summary>The event at <paramref name="index"/> (from <see cref="IndexAfter"/> up to <see cref="End"/>).</summary>
    public HistoryEvent this[int index] => _events[index];

    /// <summary>Adds an event; revisions never decrease.</summary>
    public void Append(HistoryEvent e) => _events.Add(e);

    /// <summary>The index of the first event with a revision greater than <paramref name="revision"/>.</summary>
    public int IndexAfter(long revision)
    {
        int lo = _start, hi = _events.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_events[mid].Revision <= revision)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Forgets the changes up to and including <paramref name="revision"/>.</summary>
    public void DiscardThrough(long revision)
    {
        if (revision <= Floor)
        {
            return;
        }

        Floor = revision;
        _start = IndexAfter(revision);
        // Shift only when half the list is dead, so discarding stays amortised O(1) per event.
        if (_start > _events.Count / 2)
        {
            _events.RemoveRange(0, _start);
            _start = 0;
        }
    }
}
