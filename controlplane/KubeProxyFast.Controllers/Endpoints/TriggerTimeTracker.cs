namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// Computes <c>endpoints.kubernetes.io/last-change-trigger-time</c> as Kubernetes'
/// TriggerTimeTracker: per service, the trigger times seen at its last sync (each pod's Ready
/// transition time, the service's creation time); a sync reports the earliest of those that
/// changed since, or the service's creation time at its first sync; none when nothing changed.
/// Like Kubernetes', it may miss a change when one object changes twice between two syncs.
/// Safe for concurrent syncs of different services (the work queue never syncs one twice at once).
/// </summary>
internal sealed class TriggerTimeTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServiceState> _states = new(StringComparer.Ordinal);

    /// <summary>The trigger time to publish for the service <paramref name="key"/> created at <paramref name="serviceCreated"/> over the pods its selector matches, and remembers this sync's times.</summary>
    public DateTimeOffset? Compute(string key, DateTimeOffset? serviceCreated, IReadOnlyList<EndpointPod> pods)
    {
        ServiceState? state;
        lock (_lock)
        {
            _states.TryGetValue(key, out state);
        }

        DateTimeOffset? earliestChanged = null;
        var podTimes = new Dictionary<string, DateTimeOffset>(pods.Count, StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.ReadyTransitionTime is not { } time)
            {
                continue;
            }

            podTimes[pod.Name] = time;
            if (state is null || !state.PodTimes.TryGetValue(pod.Name, out var last) || time > last)
            {
                earliestChanged = Earliest(earliestChanged, time);
            }
        }

        if (serviceCreated is { } created && (state?.ServiceTime is not { } lastService || created > lastService))
        {
            earliestChanged = Earliest(earliestChanged, created);
        }

        lock (_lock)
        {
            _states[key] = new ServiceState(serviceCreated, podTimes);
        }

        return state is null ? serviceCreated : earliestChanged;
    }

    /// <summary>Forgets a deleted service.</summary>
    public void Delete(string key)
    {
        lock (_lock)
        {
            _states.Remove(key);
        }
    }

    /// <summary>A time as Go's RFC3339Nano writes it in UTC: fractional seconds without trailing zeros, none when whole.</summary>
    public static string Format(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + "Z";
    }

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } c && c <= candidate ? c : candidate;

    private sealed record ServiceState(DateTimeOffset? ServiceTime, Dictionary<string, DateTimeOffset> PodTimes);
}
