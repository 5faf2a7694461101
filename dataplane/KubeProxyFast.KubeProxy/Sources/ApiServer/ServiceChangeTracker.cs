using System.Collections.Immutable;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Sources.ApiServer;

/// <summary>
/// The service ports built from an apiserver's Services and Endpoints, kept per service, as
/// kube-proxy's change trackers keep them: informer handlers only record which service changed
/// and when (quick, as handlers must be); a sync reads the dirty services' current Service and
/// Endpoints from the informers' caches (level-based: the latest state, whatever the events
/// between), rebuilds them through <see cref="SnapshotBuilder"/>, and assembles the snapshot from
/// every service's ports. No object is held here: the caches hold them (as compact JSON).
/// </summary>
internal sealed class ServiceChangeTracker
{
    /// <summary>The annotation the endpoints controller sets to when the change behind an Endpoints update happened (kube-proxy's trigger time).</summary>
    public const string LastChangeTriggerTime = "endpoints.kubernetes.io/last-change-trigger-time";

    private readonly Func<ObjectKey, Service?> _service;
    private readonly Func<ObjectKey, Endpoints?> _endpoints;
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, ImmutableArray<ServicePortSpec>> _ports = [];
    private HashSet<ObjectKey> _dirty = [];
    private List<DateTimeOffset> _changeTimes = [];
    private ProxySnapshot? _snapshot;

    /// <param name="service">The current Service of a key, or null (from the Services informer's cache).</param>
    /// <param name="endpoints">The current Endpoints of a key, or null.</param>
    public ServiceChangeTracker(Func<ObjectKey, Service?> service, Func<ObjectKey, Endpoints?> endpoints)
    {
        _service = service;
        _endpoints = endpoints;
    }

    /// <summary>True when a change arrived since the last <see cref="TakeChanges"/>.</summary>
    public bool HasChanges
    {
        get
        {
            lock (_lock)
            {
                return _dirty.Count > 0;
            }
        }
    }

    /// <summary>Records that the Service of <paramref name="key"/> changed (or went), received at <paramref name="received"/>.</summary>
    public void ServiceChanged(ObjectKey key, DateTimeOffset received) => Changed(key, received);

    /// <summary>
    /// Records that the Endpoints of <paramref name="key"/> changed (or went). The change counts
    /// from <paramref name="endpoints"/>' <see cref="LastChangeTriggerTime"/> annotation when it has
    /// one, else from <paramref name="received"/>.
    /// </summary>
    public void EndpointsChanged(ObjectKey key, Endpoints? endpoints, DateTimeOffset received) =>
        Changed(key, TriggerTime(endpoints) ?? received);

    /// <summary>Marks services dirty without a change time: the initial list, whose objects were not changed now.</summary>
    public void Seed(IEnumerable<ObjectKey> keys)
    {
        lock (_lock)
        {
            _dirty.UnionWith(keys);
        }
    }

    /// <summary>
    /// Rebuilds the services changed since the last call from their current objects and returns
    /// the snapshot of all of them, with when each change was made (or received) and the objects
    /// that could not be served (invalid objects are left out, the rest is served). Called by one
    /// sync at a time.
    /// </summary>
    public TrackedChanges TakeChanges()
    {
        HashSet<ObjectKey> dirty;
        List<DateTimeOffset> changeTimes;
        lock (_lock)
        {
            (dirty, _dirty) = (_dirty, []);
            (changeTimes, _changeTimes) = (_changeTimes, []);
        }

        // Outside the lock: decoding from the caches takes time, and handlers must not wait for it.
        var errors = new List<ConfigError>();
        var warnings = new List<ConfigError>();
        foreach (var key in dirty)
        {
            if (_service(key) is not { } service)
            {
                _ports.Remove(key);
                continue;
            }

            KubeObject[] objects = _endpoints(key) is { } e ? [service, e] : [service];
            var result = SnapshotBuilder.Build(objects, standalone: false);
            errors.AddRange(result.Errors);
            warnings.AddRange(result.Warnings);
            if (result.Snapshot is { } snapshot)
            {
                _ports[key] = snapshot.Ports;
            }
            else
            {
                _ports.Remove(key);
            }
        }

        if (dirty.Count > 0 || _snapshot is null)
        {
            _snapshot = new ProxySnapshot(_ports.Values.SelectMany(p => p));
        }

        return new TrackedChanges(_snapshot, changeTimes, errors, warnings, _ports.Count);
    }

    private void Changed(ObjectKey key, DateTimeOffset changed)
    {
        lock (_lock)
        {
            _dirty.Add(key);
            _changeTimes.Add(changed);
        }
    }

    /// <summary>The trigger time annotation (RFC 3339 with up to nanoseconds, as Go writes it), or null when absent or unreadable.</summary>
    internal static DateTimeOffset? TriggerTime(Endpoints? endpoints) =>
        endpoints?.Metadata.Annotations is { } annotations && annotations.TryGetValue(LastChangeTriggerTime, out var text)
            ? Rfc3339.TryParse(text)
            : null;
}

/// <summary>A namespace and name.</summary>
internal readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey Of(KubeObject obj) => new(obj.Metadata.Namespace ?? "", obj.Metadata.Name ?? "");

    public override string ToString() => Namespace + "/" + Name;
}

/// <summary>What <see cref="ServiceChangeTracker.TakeChanges"/> found.</summary>
/// <param name="Snapshot">Every served service's ports.</param>
/// <param name="ChangeTimes">When each change in it was made (its trigger time) or received.</param>
/// <param name="Errors">Objects left out, and why.</param>
/// <param name="Warnings">Things served otherwise than the objects may suggest.</param>
/// <param name="Services">Services served.</param>
internal sealed record TrackedChanges(
    ProxySnapshot Snapshot, IReadOnlyList<DateTimeOffset> ChangeTimes, IReadOnlyList<ConfigError> Errors,
    IReadOnlyList<ConfigError> Warnings, int Services);
