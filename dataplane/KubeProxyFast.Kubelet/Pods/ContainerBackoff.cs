using System.Globalization;
using System.Text;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// CrashLoopBackOff, per pod and container, as the kubelet keeps it: the first restart of a failed
/// container is immediate; each later one waits, counted from when the container finished, 10 s,
/// then twice the previous wait, up to 5 min. A container that ran for longer than twice the cap
/// (10 min) since its last restart before finishing starts the sequence over. Thread-safe.
/// </summary>
public sealed class ContainerBackoff
{
    /// <summary>Kubernetes' initial back-off (<c>kubecontainer.backOffPeriod</c>).</summary>
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromSeconds(10);

    /// <summary>Kubernetes' cap (<c>MaxContainerBackOff</c>).</summary>
    public static readonly TimeSpan DefaultMax = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string PodUid, string Container), Entry> _entries = [];

    /// <summary>Creates the back-off with Kubernetes' figures unless told others.</summary>
    public ContainerBackoff(TimeProvider time, TimeSpan? initial = null, TimeSpan? max = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _initial = initial ?? DefaultInitial;
        _max = max ?? DefaultMax;
    }

    /// <summary>
    /// Whether the container that finished at <paramref name="finishedAt"/> must still wait before it
    /// is started again; <paramref name="backoff"/> is the current wait and <paramref name="remaining"/>
    /// how much of it is left (zero when not in back-off).
    /// </summary>
    public bool IsInBackOff(string podUid, string container, DateTimeOffset finishedAt, out TimeSpan backoff, out TimeSpan remaining)
    {
        lock (_lock)
        {
            backoff = TimeSpan.Zero;
            remaining = TimeSpan.Zero;
            if (!_entries.TryGetValue((podUid, container), out var entry) || HasExpired(finishedAt, entry.LastUpdate))
            {
                return false;
            }

            backoff = entry.Backoff;
            var waited = _time.GetUtcNow() - finishedAt;
            if (waited >= entry.Backoff)
            {
                return false;
            }

            remaining = entry.Backoff - waited;
            return true;
        }
    }

    /// <summary>
    /// Records a restart of the container that finished at <paramref name="finishedAt"/>: the next
    /// wait starts at the initial figure (first restart, or after a long run) or doubles, up to the cap.
    /// </summary>
    public void Next(string podUid, string container, DateTimeOffset finishedAt)
    {
        lock (_lock)
        {
            var key = (podUid, container);
            if (!_entries.TryGetValue(key, out var entry) || HasExpired(finishedAt, entry.LastUpdate))
            {
                entry = new Entry { Backoff = _initial };
            }
            else
            {
                var doubled = entry.Backoff * 2;
                entry.Backoff = doubled < _max ? doubled : _max;
            }

            entry.LastUpdate = _time.GetUtcNow();
            _entries[key] = entry;
        }
    }

    /// <summary>The current wait of a container (zero when it has none).</summary>
    public TimeSpan Current(string podUid, string container)
    {
        lock (_lock)
        {
            return _entries.TryGetValue((podUid, container), out var entry) ? entry.Backoff : TimeSpan.Zero;
        }
    }

    /// <summary>Forgets every container of a pod (the pod is gone).</summary>
    public void Forget(string podUid)
    {
        lock (_lock)
        {
            foreach (var key in _entries.Keys.Where(k => k.PodUid == podUid).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>
    /// The waiting message Kubernetes shows with reason CrashLoopBackOff:
    /// <c>back-off 10s restarting failed container=NAME pod=NAME_NAMESPACE(UID)</c>.
    /// </summary>
    public static string Message(TimeSpan backoff, string container, string podName, string podNamespace, string podUid) =>
        $"back-off {FormatGoDuration(backoff)} restarting failed container={container} pod={podName}_{podNamespace}({podUid})";

    /// <summary>A whole-second duration as Go's <c>time.Duration.String</c> writes it: 10s, 1m20s, 5m0s, 1h0m0s.</summary>
    public static string FormatGoDuration(TimeSpan d)
    {
        var total = (long)d.TotalSeconds;
        var sb = new StringBuilder();
        var hours = total / 3600;
        var minutes = total % 3600 / 60;
        var seconds = total % 60;
        if (hours > 0)
        {
            sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        sb.Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }

    // Kubernetes' flowcontrol.Backoff: an entry not renewed for twice the cap counts as stable.
    private bool HasExpired(DateTimeOffset eventTime, DateTimeOffset lastUpdate) => eventTime - lastUpdate > _max * 2;

    private sealed class Entry
    {
        public TimeSpan Backoff { get; set; }

        public DateTimeOffset LastUpdate { get; set; }
    }
}
