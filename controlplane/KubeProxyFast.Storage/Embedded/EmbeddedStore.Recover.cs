using KubeProxyFast.Storage.Embedded.Log;

namespace KubeProxyFast.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <summary>
    /// Loads the snapshot and replays the log after it. The rules (README.md, "Recovery"): the
    /// only thing dropped silently-but-logged is a write cut short at the very end of the last
    /// segment — its bytes were never fsync'd, so never acknowledged. Anything else that does
    /// not verify is corruption of acknowledged records: the store does not open, unless
    /// <see cref="EmbeddedStoreOptions.Repair"/> says to keep a copy and cut the log there.
    /// </summary>
    private void Recover(string directory)
    {
        CreateDurably(directory);
        try
        {
            // FileShare.None takes an advisory lock (flock) on Unix: two stores on one log would corrupt it.
            _directoryLock = new FileStream(Path.Combine(directory, "LOCK"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"the data directory {directory} is in use by another process", e);
        }

        var snapshotRevision = Snapshot.Load(directory, _keys, _leases);
        _revision = Math.Max(snapshotRevision, 1);
        // Without a snapshot the log holds every change since the empty store (revision 1 has none).
        _history = new History(snapshotRevision);
        var segments = WriteAheadLog.Segments(directory).ToList();
        DeleteCoveredSegments(directory, segments, snapshotRevision);
        var mutations = new List<WalMutation>();
        long validLength = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var path = segments[i].Path;
            var end = LogReplay.Read(path, (revision, payload) =>
            {
                if (revision <= snapshotRevision)
                {
                    return null; // the snapshot holds it: a crash came between the snapshot and the rotation
                }

                if (revision != _revision + 1)
                {
                    return $"the record of revision {revision} is where revision {_revision + 1} belongs";
                }

                mutations.Clear();
                try
                {
                    WalRecord.Decode(payload.Span, mutations);
                }
                catch (InvalidDataException e)
                {
                    return e.Message;
                }

                Apply(revision, mutations);
                return null;
            });
            validLength = end.Offset;
            var last = i == segments.Count - 1;
            if (end.Status == FrameStatus.End)
            {
                continue;
            }

            if (end.Status == FrameStatus.Cut && last)
            {
                // kill -9 keeps the page cache, so a cut is all it can leave. (A power loss can
                // also leave whole frames of the batch in flight that do not verify; those are
                // not told from damage, so they are refused below: README.md, "Recovery rules".)
                if (end.Length > end.Offset)
                {
                    EmbeddedStoreLog.CutWriteDropped(_options.Logger, path, end.Length - end.Offset, end.Offset, end.Problem);
                }

                continue;
            }

            // A whole frame that does not verify (zeros included: no crash writes zeros over
            // records, and a run of them as long as a header is not a cut write), a frame out of
            // sequence, or a cut in a segment that was complete before the next began: records
            // the store acknowledged are lost from here on. Refuse, or repair when told to.
            var problem = end.Status == FrameStatus.Cut ? $"{end.Problem}, in a segment that was complete before the next one began" : end.Problem;
            if (!_options.Repair)
            {
                throw new StoreCorruptionException(path, end.Offset,
                    $"{problem}; this is damage to acknowledged records, not a write cut short by a crash, so the store does not open. " +
                    "Opening with repair (kpf server --repair) keeps a copy of the file and cuts the log at its last good record, dropping the rest",
                    repairable: true);
            }

            RepairAt(directory, segments, i, end, problem);
            break;
        }

        _wal = segments.Count > 0
            ? WriteAheadLog.Continue(directory, segments[^1].Path, segments[^1].FirstRevision, validLength, _options.Sync)
            : WriteAheadLog.Create(directory, _revision + 1, _options.Sync);
    }

    /// <summary>
    /// Creates <paramref name="directory"/> and any missing parents, each name made durable by an
    /// fsync of the directory holding it: otherwise a power loss after the first acknowledged
    /// commit could take the whole new data directory with it.
    /// </summary>
    private void CreateDurably(string directory)
    {
        var full = Path.GetFullPath(directory);
        var missing = new List<string>();
        // Bounded by the depth of the path.
        for (var d = full; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d))
        {
            missing.Add(d);
        }

        Directory.CreateDirectory(full);
        for (var i = missing.Count - 1; i >= 0; i--)
        {
            _options.Sync.FlushDirectory(Path.GetDirectoryName(missing[i])!);
        }
    }

    /// <summary>Segments wholly older than the snapshot, left by a crash in the middle of a rotation: never read, deleted.</summary>
    private void DeleteCoveredSegments(string directory, List<(long FirstRevision, string Path)> segments, long snapshotRevision)
    {
        var covered = 0;
        while (covered + 1 < segments.Count && segments[covered + 1].FirstRevision <= snapshotRevision + 1)
        {
            File.Delete(segments[covered].Path);
            EmbeddedStoreLog.CoveredSegmentDeleted(_options.Logger, segments[covered].Path, snapshotRevision);
            covered++;
        }

        if (covered > 0)
        {
            segments.RemoveRange(0, covered);
            _options.Sync.FlushDirectory(directory);
        }
    }

    /// <summary>
    /// Keeps a copy of the damaged segment, moves the later segments aside (their revisions
    /// follow the damage) and leaves the damaged one last, for <see cref="WriteAheadLog.Continue"/>
    /// to cut at the damage.
    /// </summary>
    private void RepairAt(string directory, List<(long FirstRevision, string Path)> segments, int damaged, SegmentEnd end, string problem)
    {
        var path = segments[damaged].Path;
        var copy = DamagedFile.KeepCopy(path, _options.Sync);
        EmbeddedStoreLog.Repaired(_options.Logger, path, end.Offset, problem, copy, end.Length - end.Offset, _revision);
        for (var j = damaged + 1; j < segments.Count; j++)
        {
            EmbeddedStoreLog.SegmentMovedAside(_options.Logger, segments[j].Path, DamagedFile.MoveAside(segments[j].Path));
        }

        segments.RemoveRange(damaged + 1, segments.Count - damaged - 1);
        _options.Sync.FlushDirectory(directory);
    }
}
