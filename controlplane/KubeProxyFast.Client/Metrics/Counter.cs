namespace KubeProxyFast.Client.Metrics;

/// <summary>One counter series (one label set of a <see cref="CounterFamily"/>); updates take no lock.</summary>
public sealed class Counter
{
    private AtomicDouble _value;

    internal Counter()
    {
    }

    /// <summary>The count so far.</summary>
    public double Value => _value.Value;

    /// <summary>Adds one.</summary>
    public void Inc() => _value.Add(1);

    /// <summary>Adds <paramref name="delta"/>, which must not be negative (a counter never goes down).</summary>
    public void Add(double delta)
    {
        if (!(delta >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "a counter cannot decrease");
        }

        _value.Add(delta);
    }
}

/// <summary>A counter metric: one <see cref="Counter"/> per label set.</summary>
public sealed class CounterFamily : MetricFamily<Counter>
{
    internal CounterFamily(string name, string help, string[] labelNames, int maxSeries)
        : base(name, help, MetricType.Counter, labelNames, maxSeries)
    {
    }

    /// <inheritdoc/>
    private protected override Counter NewSeries() => new();

    /// <inheritdoc/>
    private protected override void WriteSeries(PrometheusTextWriter writer, string[] labelValues, Counter series) =>
        writer.Sample(Name, null, LabelNames, labelValues, null, series.Value);
}
