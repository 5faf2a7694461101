namespace KubeProxyFast.Controllers.Replication;

/// <summary>
/// What each replication controller waits to see before it syncs its pods again (Kubernetes'
/// <c>UIDTrackingControllerExpectations</c>): after issuing N creates it expects N pod adds from
/// the watch, after deletes it expects those very pods (by <c>namespace/name</c>) to go or to be
/// marked for deletion. Until then, or until the expectations are older than the timeout, its
/// syncs write status but create and delete nothing, so a slow watch never makes it create or
/// delete twice. Thread-safe: workers set expectations, informer handlers lower them.
/// </summary>
internal sealed class ControllerExpectations
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    public ControllerExpectations(TimeProvider time, TimeSpan timeout)
    {
        _time = time;
        _timeout = timeout;
    }

    /// <summary>
    /// True when the controller may create and delete: it expects nothing, everything it expected
    /// was seen, or its expectations expired. Otherwise <paramref name="expiresIn"/> says when they will.
    /// </summary>
    public bool Satisfied(string controllerKey, out TimeSpan expiresIn)
    {
        expiresIn = TimeSpan.Zero;
        lock (_lock)
        {
            if (!_entries.TryGetValue(controllerKey, out var entry) || (entry.Adds <= 0 && entry.Deletes <= 0))
            {
                return true;
            }

            var age = _time.GetElapsedTime(entry.SetAt);
            if (age > _timeout)
            {
                return true;
            }

            expiresIn = _timeout - age;
            return false;
        }
    }

    /// <summary>Expects <paramref name="adds"/> pods to appear, replacing the counts (not the pods still expected to go).</summary>
    public void ExpectCreations(string controllerKey, int adds)
    {
        lock (_lock)
        {
            var entry = GetOrAdd(controllerKey);
            entry.Adds = adds;
            entry.Deletes = 0;
            entry.SetAt = _time.GetTimestamp();
        }
    }

    /// <summary>Expects the pods <paramref name="podKeys"/> (<c>namespace/name</c>) to be deleted.</summary>
    public void ExpectDeletions(string controllerKey, IReadOnlyCollection<string> podKeys)
    {
        lock (_lock)
        {
            var entry = GetOrAdd(controllerKey);
            entry.DeleteKeys = [.. podKeys];
            entry.Adds = 0;
            entry.Deletes = entry.DeleteKeys.Count;
            entry.SetAt = _time.GetTimestamp();
        }
    }

    /// <summary>One expected pod appeared, or one create was never issued or failed.</summary>
    public void CreationObserved(string controllerKey) => LowerCreations(controllerKey, 1);

    /// <summary>Lowers the creates still expected by <paramref name="count"/>.</summary>
    public void LowerCreations(string controllerKey, int count)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(controllerKey, out var entry))
            {
                entry.Adds -= count;
            }
        }
    }

    /// <summary>
    /// The pod <paramref name="podKey"/> was deleted or marked for deletion (or its delete failed);
    /// counts once per expected pod, so a pod seen first marked and then gone counts once.
    /// </summary>
    public void DeletionObserved(string controllerKey, string podKey)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(controllerKey, out var entry) && entry.DeleteKeys.Remove(podKey))
            {
                entry.Deletes--;
            }
        }
    }

    /// <summary>Forgets the controller (it was deleted): one created again under its name starts clean.</summary>
    public void Delete(string controllerKey)
    {
        lock (_lock)
        {
            _entries.Remove(controllerKey);
        }
    }

    /// <summary>(adds, deletes) still expected, for tests and logs; (0, 0) when none.</summary>
    public (long Adds, long Deletes) Pending(string controllerKey)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(controllerKey, out var entry) ? (entry.Adds, entry.Deletes) : (0, 0);
        }
    }

    private Entry GetOrAdd(string controllerKey)
    {
        if (!_entries.TryGetValue(controllerKey, out var entry))
        {
            entry = new Entry();
            _entries.Add(controllerKey, entry);
        }

        return entry;
    }

    private sealed class Entry
    {
        public long Adds;
        public long Deletes;
        public long SetAt;
        public HashSet<string> DeleteKeys = new(StringComparer.Ordinal);
    }
}
