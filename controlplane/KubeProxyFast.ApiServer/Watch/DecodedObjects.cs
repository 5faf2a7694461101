using System.Collections.Concurrent;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// Decoded objects of one resource, keyed by store key and mod revision, for the read paths that
/// need objects rather than bytes (lists with selectors, Tables for kubectl): a second list of
/// 10,000 pods decodes none of them again. An entry is used only for the exact revision it was
/// decoded from, so it can never be stale; the resource's watch cache reports the keys that
/// change or go (<see cref="Changed"/>), which keeps the entries to the live objects.
/// Cached objects are shared: read, never changed. Beside them it keeps each object's protobuf
/// message (<see cref="Encoded"/>) under the same rule, so a LIST in protobuf copies bytes as a
/// JSON LIST does instead of transcoding every item (7 µs a pod); those entries are bounded by
/// <see cref="MaxEncodedBytes"/> per resource.
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

    /// <summary>
    /// The most bytes of protobuf encodings kept for one resource; past it, further objects are
    /// transcoded per request as before. A pod's message is about 40% of its JSON (1–2 KB), so
    /// this holds some 30,000 pods; an entry goes when its object changes or goes.
    /// </summary>
    internal const long MaxEncodedBytes = 64L * 1024 * 1024;

    private readonly ResourceDefinition _resource;
    private readonly ConcurrentDictionary<string, (long Revision, KubeObject Object)> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Revision, byte[] Bytes)> _encoded = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _changedAt = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Revision)> _changes = new();

    // Every change after this revision has been reported; long.MaxValue while the watch is not running.
    private long _completeAfter = long.MaxValue;

    // Bytes held in _encoded; changed under _lock.
    private long _encodedBytes;

    public DecodedObjects(ResourceDefinition resource) => _resource = resource;

    /// <summary>Entries held.</summary>
    public int Count => _objects.Count;

    /// <summary>Protobuf encodings held, and their bytes.</summary>
    public (int Count, long Bytes) EncodedHeld
    {
        get
        {
            lock (_lock)
            {
                return (_encoded.Count, _encodedBytes);
            }
        }
    }

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
            var newer = _objects.TryGetValue(value.Key, out entry) && entry.Revision > value.ModRevision;
            if (!ChangedSince(value.Key, readRevision) && !newer)
            {
                _objects[value.Key] = (value.ModRevision, decoded);
            }
        }

        return decoded;
    }

    /// <summary>
    /// The protobuf <paramref name="message"/> (the resource's kind, without envelope) of
    /// <paramref name="value"/> with its mod revision as resourceVersion, read by a list at
    /// <paramref name="readRevision"/>: transcoded once per revision while the budget lasts.
    /// </summary>
    /// <exception cref="ProtoDecodeException">The stored JSON does not fit the message.</exception>
    public byte[] Encoded(StoreValue value, long readRevision, ProtoMessage message)
    {
        if (_encoded.TryGetValue(value.Key, out var entry) && entry.Revision == value.ModRevision)
        {
            return entry.Bytes;
        }

        byte[] bytes;
        using (var output = new ProtoOutput(0, value.Value.Length))
        {
            JsonToProto.Write(value.Value.Span, message, output, value.ModRevision);
            bytes = output.Written.ToArray();
        }

        lock (_lock)
        {
            var held = _encoded.TryGetValue(value.Key, out entry);
            var heldBytes = held ? entry.Bytes.Length : 0;
            if (!ChangedSince(value.Key, readRevision) && !(held && entry.Revision > value.ModRevision)
                && _encodedBytes - heldBytes + bytes.Length <= MaxEncodedBytes)
            {
                _encoded[value.Key] = (value.ModRevision, bytes);
                _encodedBytes += bytes.Length - heldBytes;
            }
        }

        return bytes;
    }

    /// <summary>The key changed or went at <paramref name="revision"/>: its entry is of no further use, and none read before it may be cached.</summary>
    public void Changed(string key, long revision)
    {
        lock (_lock)
        {
            _objects.TryRemove(key, out _);
            if (_encoded.TryRemove(key, out var encoded))
            {
                _encodedBytes -= encoded.Bytes.Length;
            }

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

    // Whether a value of key read at readRevision may be stale by now (or a change may have gone unreported); call under _lock.
    private bool ChangedSince(string key, long readRevision) =>
        readRevision < _completeAfter || (_changedAt.TryGetValue(key, out var changedAt) && changedAt > readRevision);

    private void Reset(long completeAfter)
    {
        lock (_lock)
        {
            _objects.Clear();
            _encoded.Clear();
            _encodedBytes = 0;
            _changedAt.Clear();
            _changes.Clear();
            _completeAfter = completeAfter;
        }
    }
}
