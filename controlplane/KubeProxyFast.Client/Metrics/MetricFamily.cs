using System.Collections.Concurrent;

namespace KubeProxyFast.Client.Metrics;

/// <summary>
/// A named metric with its help text, type and label names: what one <c># HELP</c>/<c># TYPE</c>
/// pair of the exposition introduces. Made by <see cref="MetricsRegistry"/>.
/// </summary>
public abstract class MetricFamily
{
    private protected MetricFamily(string name, string help, MetricType type, string[] labelNames, int maxSeries)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
        MaxSeries = maxSeries;
    }

    /// <summary>The metric's name, e.g. <c>workqueue_adds_total</c>.</summary>
    public string Name { get; }

    /// <summary>The <c># HELP</c> text.</summary>
    public string Help { get; }

    /// <summary>Counter, gauge or histogram.</summary>
    public MetricType Type { get; }

    /// <summary>The label names, in the order <c>WithLabels</c> takes their values.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>How many label sets the family keeps; beyond it new label sets are refused.</summary>
    public int MaxSeries { get; }

    /// <summary>How many times a new label set was refused because the family was full.</summary>
    public abstract long RefusedSeries { get; }

    internal abstract void Write(PrometheusTextWriter writer);
}

/// <summary>A metric family whose series are <typeparamref name="TSeries"/>, one per label set.</summary>
/// <typeparam name="TSeries">The series type: <see cref="Counter"/>, <see cref="Gauge"/> or <see cref="Histogram"/>.</typeparam>
public abstract class MetricFamily<TSeries> : MetricFamily
    where TSeries : class
{
    private readonly ConcurrentDictionary<LabelValues, TSeries> _series = new();
    private readonly Lock _createLock = new();
    private TSeries? _refused;
    private long _refusedCount;

    private protected MetricFamily(string name, string help, MetricType type, string[] labelNames, int maxSeries)
        : base(name, help, type, labelNames, maxSeries)
    {
    }

    /// <inheritdoc/>
    public override long RefusedSeries => Interlocked.Read(ref _refusedCount);

    /// <summary>
    /// The series of these label values (one per label name, in order), made on first use. A
    /// caller on a hot path keeps the series it was given: finding it again is a dictionary read
    /// without a lock, but the values array is an allocation. When the family already holds
    /// <see cref="MetricFamily.MaxSeries"/> label sets, a new one is refused: the caller gets a
    /// series that works but is never exposed, and <see cref="RefusedSeries"/> counts it — so an
    /// unbounded label value (a pod name, a user's string) cannot grow memory and the scrape without end.
    /// </summary>
    public TSeries WithLabels(params string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(labelValues);
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"metric {Name} has {LabelNames.Count} label(s) ({string.Join(", ", LabelNames)}), given {labelValues.Length} value(s)", nameof(labelValues));
        }

        foreach (var value in labelValues)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(labelValues));
        }

        var key = new LabelValues(labelValues);
        return _series.TryGetValue(key, out var series) ? series : Create(key);
    }

    /// <summary>Makes the series each type has.</summary>
    private protected abstract TSeries NewSeries();

    /// <summary>Writes the sample lines of one series.</summary>
    private protected abstract void WriteSeries(PrometheusTextWriter writer, string[] labelValues, TSeries series);

    internal override void Write(PrometheusTextWriter writer)
    {
        writer.Header(Name, Help, Type);
        // Sorted, so a scrape is stable: the same series in the same order every time.
        foreach (var (key, series) in _series.OrderBy(p => p.Key))
        {
            WriteSeries(writer, key.Values, series);
        }
    }

    private TSeries Create(LabelValues key)
    {
        // Rare (once per label set): a lock keeps the count exact against the bound.
        lock (_createLock)
        {
            if (_series.TryGetValue(key, out var existing))
            {
                return existing;
            }

            if (_series.Count >= MaxSeries)
            {
                Interlocked.Increment(ref _refusedCount);
                return _refused ??= NewSeries();
            }

            // A copy: the caller may reuse its array.
            var series = NewSeries();
            _series[new LabelValues([.. key.Values])] = series;
            return series;
        }
    }
}
