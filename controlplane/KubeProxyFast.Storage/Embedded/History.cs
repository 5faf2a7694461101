namespace KubeProxyFast.Storage.Embedded;

/// <summary>One key's change in a committed revision.</summary>
/// <param name="Revision">The revision that made it.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The new value; null for a delete.</param>
/// <param name="Previous">The value before; null when the key was absent, or when it was compacted away.</param>
/// <param name="AtCompaction">
/// The event is at the compaction revision, whose previous state is gone: as etcd answers a watch
/// from that revision, a put carries no previous value and a delete is not reported at all.
/// </param>
internal readonly record struct HistoryEvent(long Revision, string Key, StoreValue? Value, StoreValue? Previous, bool AtCompaction = false)
{
    /// <summary>Whether a watch reports it: etcd's compaction drops a delete at the compaction revision with its tombstone.</summary>
    public bool Visible => Value is not null || !AtCompaction;

    /// <summary>The event as a watch reports it (a create is told from an update by its create revision, as for etcd's events).</summary>
    public StoreEvent ToStoreEvent() => Value is null
        ? new StoreEvent(StoreEventType.Deleted, Key, Previous!.Value, Revision, Previous.Value)
        : new StoreEvent(Value.CreateRevision == Revision ? StoreEventType.Created : StoreEventType.Updated, Key, Value.Value, Revision, Previous?.Value ?? default);
}

/// <summary>
/// Every change with a revision greater than <see cref="Floor"/>, in revision order: what
/// watches replay and what a list at an old revision undoes. Not thread-safe (the store's lock).
/// </summary>
internal sealed class History
{
    private readonly List<HistoryEvent> _events = [];
    private int _start;

    /// <param name="floor">The revision from which history is complete (the state at it is known): 0 for a new store, the snapshot's after a restart.</param>
    public History(long floor)
    {
        Floor = floor;
        CompactRevision = floor;
    }

    /// <summary>History holds every change after this revision: watches from it or later can be served.</summary>
    public long Floor { get; private set; }

    /// <summary>
    /// etcd's compaction revision: reads at it or later can be served, older ones are compacted.
    /// After <see cref="Compact"/> at r it is r and <see cref="Floor"/> r - 1, as in etcd, where
    /// compacting at r keeps the state at r and a watch from r - 1 (that is, starting at r).
    /// </summary>
    public long CompactRevision { get; private set; }

    /// <summary>
    /// Compacts as etcd does at <paramref name="revision"/>: the changes before it go, and those at
    /// it lose what etcd loses with the older revisions (<see cref="HistoryEvent.AtCompaction"/>).
    /// A revision at or below the current compaction is a no-op.
    /// </summary>
    public void Compact(long revision)
    {
        if (revision <= CompactRevision)
        {
            return;
        }

        CompactRevision = revision;
        DiscardThrough(revision - 1);
        for (var i = _start; i < _events.Count && _events[i].Revision == revision; i++)
        {
            _events[i] = _events[i] with { Previous = _events[i].Value is null ? _events[i].Previous : null, AtCompaction = true };
        }
    }

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
    private void DiscardThrough(long revision)
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
