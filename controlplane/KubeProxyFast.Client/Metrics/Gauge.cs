namespace KubeProxyFast.Client.Metrics;

/// <summary>One gauge series (one label set of a <see cref="GaugeFamily"/>); updates take no lock.</summary>
public sealed class Gauge
{
    private AtomicDouble _value;

    internal Gauge()
    {
    }

    /// <summary>The current value.</summary>
    public double Value => _value.Value;

    /// <summary>Sets the value.</summary>
    public void Set(double value) => _value.Set(value);

    /// <summary>Adds one.</summary>
    public void Inc() => _value.Add(1);

    /// <summary>Subtracts one.</summary>
    public void Dec() => _value.Add(-1);

    /// <summary>Adds <paramref name="delta"/> (negative to subtract).</summary>
    public void Add(double delta) => _value.Add(delta);
}

/// <summary>A gauge metric: one <see cref="Gauge"/> per label set.</summary>
public sealed class GaugeFamily : MetricFamily<Gauge>
{
    internal GaugeFamily(string name, string help, string[] labelNames, int maxSeries)
        : base(name, help, MetricType.Gauge, labelNames, maxSeries)
    {
    }

    /// <inheritdoc/>
    private protected override Gauge NewSeries() => new();

    /// <inheritdoc/>
    private protected override void WriteSeries(PrometheusTextWriter writer, string[] labelValues, Gauge series) =>
        writer.Sample(Name, null, LabelNames, labelValues, null, series.Value);
}
