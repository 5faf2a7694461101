using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace KubeProxyFast.Client.Metrics;

/// <summary>
/// The metrics of one process (or one role), exposed at <c>/metrics</c> in the Prometheus text
/// format 0.0.4 (<see cref="ContentType"/>). Families are registered once by name — asking again
/// with the same name, type, labels and buckets gives the same family, so a component that stops
/// and starts again (a controller after a lost lease) keeps counting in the same series.
/// Updates to a series take no lock; <see cref="Render"/> may run alongside them.
/// </summary>
public sealed partial class MetricsRegistry
{
    /// <summary>The <c>Content-Type</c> of <see cref="Render"/>'s output.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The series bound of a family when its registration does not give one.</summary>
    public const int DefaultMaxSeries = 1000;

    private readonly ConcurrentDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly Lock _collectorsLock = new();
    private readonly List<Action> _collectors = [];

    /// <summary>A counter family; <paramref name="labelNames"/> in the order their values will be given.</summary>
    public CounterFamily Counter(string name, string help, string[]? labelNames = null, int maxSeries = DefaultMaxSeries) =>
        Register(name, help, MetricType.Counter, labelNames, null, maxSeries, static (n, h, l, _, m) => new CounterFamily(n, h, l, m));

    /// <summary>A gauge family.</summary>
    public GaugeFamily Gauge(string name, string help, string[]? labelNames = null, int maxSeries = DefaultMaxSeries) =>
        Register(name, help, MetricType.Gauge, labelNames, null, maxSeries, static (n, h, l, _, m) => new GaugeFamily(n, h, l, m));

    /// <summary>A histogram family with these bucket upper bounds (ascending; <c>+Inf</c> is implied).</summary>
    public HistogramFamily Histogram(string name, string help, double[] upperBounds, string[]? labelNames = null, int maxSeries = DefaultMaxSeries)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        if (upperBounds.Length == 0)
        {
            throw new ArgumentException($"histogram {name} needs at least one bucket", nameof(upperBounds));
        }

        for (var i = 0; i < upperBounds.Length; i++)
        {
            if (double.IsNaN(upperBounds[i]) || double.IsInfinity(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1]))
            {
                throw new ArgumentException($"histogram {name}: bucket bounds must be finite and strictly ascending", nameof(upperBounds));
            }
        }

        if (labelNames is not null && labelNames.Contains("le"))
        {
            throw new ArgumentException($"histogram {name}: \"le\" is reserved for the buckets", nameof(labelNames));
        }

        return Register(name, help, MetricType.Histogram, labelNames, upperBounds, maxSeries, static (n, h, l, b, m) => new HistogramFamily(n, h, l, [.. b!], m));
    }

    /// <summary>
    /// Runs <paramref name="collect"/> before every <see cref="Render"/>, to set gauges whose value
    /// is read rather than tracked (how long the oldest unfinished work item has run). Dispose the
    /// result to stop. A collector that throws fails that render.
    /// </summary>
    public IDisposable OnCollect(Action collect)
    {
        ArgumentNullException.ThrowIfNull(collect);
        lock (_collectorsLock)
        {
            _collectors.Add(collect);
        }

        return new Unregister(this, collect);
    }

    /// <summary>Every family, sorted by name, in the text format.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        using (var writer = new StringWriter(text))
        {
            WriteTo(writer);
        }

        return text.ToString();
    }

    /// <summary>Writes every family, sorted by name, in the text format.</summary>
    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Action[] collectors;
        lock (_collectorsLock)
        {
            collectors = [.. _collectors];
        }

        foreach (var collect in collectors)
        {
            collect();
        }

        var writer = new PrometheusTextWriter(output);
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            family.Write(writer);
        }
    }

    private TFamily Register<TFamily>(
        string name,
        string help,
        MetricType type,
        string[]? labelNames,
        double[]? upperBounds,
        int maxSeries,
        Func<string, string, string[], double[]?, int, TFamily> create)
        where TFamily : MetricFamily
    {
        ArgumentNullException.ThrowIfNull(help);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSeries);
        if (name is null || !MetricName().IsMatch(name))
        {
            throw new ArgumentException($"invalid metric name \"{name}\": must match [a-zA-Z_:][a-zA-Z0-9_:]*", nameof(name));
        }

        labelNames = labelNames is null ? [] : [.. labelNames];
        foreach (var label in labelNames)
        {
            if (label is null || !LabelName().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal))
            {
                throw new ArgumentException($"metric {name}: invalid label name \"{label}\": must match [a-zA-Z_][a-zA-Z0-9_]* and not start with \"__\"", nameof(labelNames));
            }
        }

        if (labelNames.Distinct(StringComparer.Ordinal).Count() != labelNames.Length)
        {
            throw new ArgumentException($"metric {name}: duplicate label names", nameof(labelNames));
        }

        var family = _families.GetOrAdd(name, _ => create(name, help, labelNames, upperBounds, maxSeries));
        if (family is not TFamily typed
            || family.Type != type
            || !family.LabelNames.SequenceEqual(labelNames, StringComparer.Ordinal)
            || (family is HistogramFamily histogram && !histogram.UpperBounds.SequenceEqual(upperBounds!)))
        {
            throw new ArgumentException($"metric {name} is already registered with another type, labels or buckets: a {family.Type.ToString().ToLowerInvariant()} with labels ({string.Join(", ", family.LabelNames)})", nameof(name));
        }

        return typed;
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    private sealed class Unregister(MetricsRegistry registry, Action collect) : IDisposable
    {
        public void Dispose()
        {
            lock (registry._collectorsLock)
            {
                registry._collectors.Remove(collect);
            }
        }
    }
}
