using System.Collections.Immutable;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Sources.ApiServer;

/// <summary>
/// The Services and Endpoints an apiserver's informers delivered, with the service ports built
/// from them per service, as kube-proxy's change trackers keep them: informer handlers record a
/// change and mark its service dirty (quick, as handlers must be); a sync rebuilds only the dirty
/// services through <see cref="SnapshotBuilder"/> and assembles the snapshot from every service's
/// ports. The objects are the informers' own (never changed here), so holding them costs nothing.
/// </summary>
internal sealed class ServiceChangeTracker
{
    /// <summary>The annotation the endpoints controller sets to when the change behind an Endpoints update happened (kube-proxy's trigger time).</summary>
    public const string LastChangeTriggerTime = "endpoints.kubernetes.io/last-change-trigger-time";

    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, Service> _services = [];
    private readonly Dictionary<ObjectKey, Endpoints> _endpoints = [];
    private readonly Dictionary<ObjectKey, ImmutableArray<ServicePortSpec>> _ports = [];
    private HashSet<ObjectKey> _dirty = [];
    private List<DateTimeOffset> _changeTimes = [];
    private ProxySnapshot? _snapshot;

    /// <summary>Records a Service as it is now, or its deletion (<paramref name="service"/> null).</summary>
    public void ServiceChanged(ObjectKey key, Service? service, DateTimeOffset received)
    {
        lock (_lock)
        {
            if (service is null)
            {
                _services.Remove(key);
            }
            else
            {
                _services[key] = service;
            }

            MarkDirty(key, received);
        }
    }

    /// <summary>
    /// Records an Endpoints object as it is now, or its deletion. The change counts from its
    /// <see cref="LastChangeTriggerTime"/> annotation when it has one, else from <paramref name="received"/>.
    /// </summary>
    public void EndpointsChanged(ObjectKey key, Endpoints? endpoints, DateTimeOffset received)
    {
        lock (_lock)
        {
            if (endpoints is null)
            {
                _endpoints.Remove(key);
            }
            else
            {
                _endpoints[key] = endpoints;
            }

            MarkDirty(key, TriggerTime(endpoints) ?? received);
        }
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

    /// <summary>
    /// Rebuilds the services changed since the last call and returns the snapshot of all of them,
    /// with when each change was made (or received) and the objects that could not be served
    /// (invalid objects are skipped, the rest is served). Called by one sync at a time.
    /// </summary>
    public TrackedChanges TakeChanges()
    {
        HashSet<ObjectKey> dirty;
        List<DateTimeOffset> changeTimes;
        var built = new List<(ObjectKey Key, SnapshotBuildResult Result)>();
        lock (_lock)
        {
            (dirty, _dirty) = (_dirty, []);
            (changeTimes, _changeTimes) = (_changeTimes, []);
            foreach (var key in dirty)
            {
                if (_services.TryGetValue(key, out var service))
                {
                    KubeObject[] objects = _endpoints.TryGetValue(key, out var e) ? [service, e] : [service];
                    built.Add((key, SnapshotBuilder.Build(objects, standalone: false)));
                }
                else
                {
                    _ports.Remove(key);
                }
            }

            var errors = new List<ConfigError>();
            var warnings = new List<ConfigError>();
            foreach (var (key, result) in built)
            {
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

            return new TrackedChanges(_snapshot, changeTimes, errors, warnings, _services.Count, _endpoints.Count);
        }
    }

    private void MarkDirty(ObjectKey key, DateTimeOffset changed)
    {
        _dirty.Add(key);
        _changeTimes.Add(changed);
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
/// <param name="Services">Services known.</param>
/// <param name="Endpoints">Endpoints objects known.</param>
internal sealed record TrackedChanges(
    ProxySnapshot Snapshot, IReadOnlyList<DateTimeOffset> ChangeTimes, IReadOnlyList<ConfigError> Errors,
    IReadOnlyList<ConfigError> Warnings, int Services, int Endpoints);
