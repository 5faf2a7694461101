using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace KubeProxyFast.ApiServer.Metrics;

/// <summary>
/// kube-apiserver's request metrics in Prometheus text form:
/// <c>apiserver_request_total{verb,resource,subresource,code}</c> and the latency histogram
/// <c>apiserver_request_duration_seconds{verb,resource,subresource}</c> (watches are long by
/// design and are counted, not timed).
/// </summary>
internal sealed class RequestMetrics
{
    /// <summary>
    /// The label of a value outside a bounded set: a verb kube-apiserver does not know (its
    /// <c>OtherRequestMethod</c>), a subresource the resource does not serve.
    /// </summary>
    public const string Other = "other";

    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    // kube-apiserver's validRequestMethods: a label value per verb it knows. Anything else (any
    // method name a client makes up) is one "other" series; before, 20,000 random methods made
    // 20,000 series and a 44.6 MB /metrics.
    private static readonly FrozenSet<string> Verbs = FrozenSet.ToFrozenSet(
    [
        "APPLY", "CONNECT", "CREATE", "DELETE", "DELETECOLLECTION", "GET", "LIST", "PATCH", "POST", "PROXY", "PUT", "UPDATE", "WATCH", "WATCHLIST",
    ], StringComparer.Ordinal);

    private readonly ConcurrentDictionary<(string Verb, string Resource, string Subresource, int Code), Counter> _counts = new();
    private readonly ConcurrentDictionary<(string Verb, string Resource, string Subresource), Histogram> _latencies = new();
    private readonly ConcurrentDictionary<(string Resource, string Source), Counter> _watches = new();

    /// <summary>A watch started, served by the resource's watch cache or, for an older revision, by the store.</summary>
    public void RecordWatch(string resource, bool fromCache) =>
        _watches.GetOrAdd((resource, fromCache ? "cache" : "store"), static _ => new Counter()).Increment();

    /// <summary>Counts and times one request; <paramref name="verb"/> outside kube-apiserver's verbs counts as <see cref="Other"/>.</summary>
    public void Record(string verb, string resource, string subresource, int code, TimeSpan elapsed)
    {
        verb = Verbs.Contains(verb) ? verb : Other;
        _counts.GetOrAdd((verb, resource, subresource, code), static _ => new Counter()).Increment();
        if (verb != "WATCH")
        {
            _latencies.GetOrAdd((verb, resource, subresource), static _ => new Histogram(Buckets.Length)).Observe(elapsed.TotalSeconds);
        }
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP apiserver_request_total Counter of apiserver requests broken out by verb, resource, subresource and HTTP response code.\n");
        text.Append("# TYPE apiserver_request_total counter\n");
        foreach (var ((verb, resource, subresource, code), counter) in _counts.OrderBy(p => p.Key))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"apiserver_request_total{{verb=\"{verb}\",resource=\"{resource}\",subresource=\"{subresource}\",code=\"{code}\"}} {counter.Value}\n");
        }

        text.Append("# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb, resource and subresource.\n");
        text.Append("# TYPE apiserver_request_duration_seconds histogram\n");
        foreach (var ((verb, resource, subresource), histogram) in _latencies.OrderBy(p => p.Key))
        {
            var labels = $"verb=\"{verb}\",resource=\"{resource}\",subresource=\"{subresource}\"";
            var (counts, sum, total) = histogram.Snapshot();
            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += counts[i];
                text.Append(CultureInfo.InvariantCulture, $"apiserver_request_duration_seconds_bucket{{{labels},le=\"{Buckets[i]}\"}} {cumulative}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"apiserver_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {total}\n");
            text.Append(CultureInfo.InvariantCulture, $"apiserver_request_duration_seconds_sum{{{labels}}} {sum}\n");
            text.Append(CultureInfo.InvariantCulture, $"apiserver_request_duration_seconds_count{{{labels}}} {total}\n");
        }

        text.Append("# HELP kpf_apiserver_watches_total Watches started, by resource and by what served them: the watch cache, or the store for revisions older than the cache holds.\n");
        text.Append("# TYPE kpf_apiserver_watches_total counter\n");
        foreach (var ((resource, source), counter) in _watches.OrderBy(p => p.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"kpf_apiserver_watches_total{{resource=\"{resource}\",source=\"{source}\"}} {counter.Value}\n");
        }

        return text.ToString();
    }

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }

    private sealed class Histogram(int buckets)
    {
        private readonly long[] _counts = new long[buckets];
        private readonly Lock _lock = new();
        private double _sum;
        private long _total;

        public void Observe(double seconds)
        {
            // A plain loop: a lambda here would capture `seconds`, an allocation per request.
            var bucket = -1;
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (seconds <= Buckets[i])
                {
                    bucket = i;
                    break;
                }
            }

            lock (_lock)
            {
                if (bucket >= 0)
                {
                    _counts[bucket]++;
                }

                _sum += seconds;
                _total++;
            }
        }

        public (long[] Counts, double Sum, long Total) Snapshot()
        {
            lock (_lock)
            {
                return ((long[])_counts.Clone(), _sum, _total);
            }
        }
    }
}
