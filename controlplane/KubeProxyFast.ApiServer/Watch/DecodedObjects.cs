using System.Collections.Concurrent;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// Decoded objects of one resource, keyed by store key and mod revision, for the read paths that
/// need objects rather than bytes (lists with selectors, Tables for kubectl): a second list of
/// 10,000 pods decodes none of them again. An entry is used only for the exact revision it was
/// decoded from, so it can never be stale; the resource's watch cache reports the keys that
/// change or go (<see cref="Changed"/>), which keeps the entries to the live objects.
/// Cached objects are shared: read, never changed.
/// </summary>
/// <remarks>
/// A list reads at a revision and decodes afterwards, so the watch may already have reported a
/// change of a key after that revision — a delete above all, after which nothing would ever evict
/// the entry again. So the recent changes are remembered (their keys and revisions, up to
/// <see cref="RecentChangesKept"/>), and a value is cached only when no change of its key after
/// the list's revision has been reported and the remembered changes reach back to that revision.
/// </remarks>
internal sealed class DecodedObjects
{
    /// <summary>How many recent changes are remembered; a list read before the oldest of them decodes without caching.</summary>
    internal const int RecentChangesKept = 4096;

    private readonly ResourceDefinition _resource;
    private readonly ConcurrentDictionary<string, (long Revision, KubeObject Object)> _objects = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _changedAt = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Revision)> _changes = new();

    // Every change after this revision has been reported; long.MaxValue while the watch is not running.
    private long _completeAfter = long.MaxValue;

    public DecodedObjects(ResourceDefinition resource) => _resource = resource;

    /// <summary>Entries held.</summary>
    public int Count => _objects.Count;

    /// <summary>The object of <paramref name="value"/>, read by a list at <paramref name="readRevision"/>: decoded once per revision.</summary>
    public KubeObject Get(StoreValue value, long readRevision)
    {
        if (_objects.TryGetValue(value.Key, out var entry) && entry.Revision == value.ModRevision)
        {
            return entry.Object;
        }

        var decoded = ObjectCodec.Decode(_resource, value);
        lock (_lock)
        {
            var changedSince = readRevision < _completeAfter
                || (_changedAt.TryGetValue(value.Key, out var changedAt) && changedAt > readRevision);
            var newer = _objects.TryGetValue(value.Key, out entry) && entry.Revision > value.ModRevision;
            if (!changedSince && !newer)
            {
                _objects[value.Key] = (value.ModRevision, decoded);
            }
        }

        return decoded;
    }

    /// <summary>The key changed or went at <paramref name="revision"/>: its entry is of no further use, and none read before it may be cached.</summary>
    public void Changed(string key, long revision)
    {
        lock (_lock)
        {
            _objects.TryRemove(key, out _);
            _changedAt[key] = revision;
            _changes.Enqueue((key, revision));
            if (_changes.Count > RecentChangesKept)
            {
                var (oldKey, oldRevision) = _changes.Dequeue();
                if (_changedAt.TryGetValue(oldKey, out var latest) && latest == oldRevision)
                {
                    _changedAt.Remove(oldKey);
                }

                _completeAfter = oldRevision;
            }
        }
    }

    /// <summary>The watch that reports changes (re)started after <paramref name="revision"/>: start empty, cache what lists read from there on.</summary>
    public void Start(long revision) => Reset(revision);

    /// <summary>The watch that reports changes ended, so changes may be missed: start empty, cache nothing until it starts again.</summary>
    public void Stop() => Reset(long.MaxValue);

    private void Reset(long completeAfter)
    {
        lock (_lock)
        {
            _objects.Clear();
            _changedAt.Clear();
            _changes.Clear();
            _completeAfter = completeAfter;
        }
    }
}
