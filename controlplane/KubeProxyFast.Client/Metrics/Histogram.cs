namespace KubeProxyFast.Client.Metrics;

/// <summary>
/// One histogram series (one label set of a <see cref="HistogramFamily"/>). An observation is an
/// interlocked increment of its bucket and an atomic add to the sum, no lock. The count is the sum
/// of the buckets, so <c>_count</c> always equals the <c>+Inf</c> bucket in one scrape; the sum
/// may include an observation whose bucket the scrape read just before it landed.
/// </summary>
public sealed class Histogram
{
    private readonly double[] _upperBounds;
    // Per bucket, not cumulative; the last slot counts observations above every bound (+Inf).
    private readonly long[] _counts;
    private AtomicDouble _sum;

    internal Histogram(double[] upperBounds)
    {
        _upperBounds = upperBounds;
        _counts = new long[upperBounds.Length + 1];
    }

    /// <summary>Records one observation (seconds, bytes, …).</summary>
    public void Observe(double value)
    {
        // Bounds are few (10 to 15) and sorted: a linear scan beats a binary search at that size.
        var bucket = 0;
        while (bucket < _upperBounds.Length && value > _upperBounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        _sum.Add(value);
    }

    /// <summary>How many observations were recorded.</summary>
    public long Count
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += Interlocked.Read(ref _counts[i]);
            }

            return total;
        }
    }

    /// <summary>The sum of the observations.</summary>
    public double Sum => _sum.Value;

    /// <summary>Cumulative counts per upper bound (the last is +Inf, equal to <see cref="Count"/> in this copy).</summary>
    internal long[] CumulativeCounts()
    {
        var cumulative = new long[_counts.Length];
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            total += Interlocked.Read(ref _counts[i]);
            cumulative[i] = total;
        }

        return cumulative;
    }
}

/// <summary>A histogram metric: one <see cref="Histogram"/> per label set, all with the family's buckets.</summary>
public sealed class HistogramFamily : MetricFamily<Histogram>
{
    private readonly double[] _upperBounds;

    internal HistogramFamily(string name, string help, string[] labelNames, double[] upperBounds, int maxSeries)
        : base(name, help, MetricType.Histogram, labelNames, maxSeries)
    {
        _upperBounds = upperBounds;
    }

    /// <summary>The buckets' upper bounds, ascending, without +Inf.</summary>
    public IReadOnlyList<double> UpperBounds => _upperBounds;

    /// <inheritdoc/>
    private protected override Histogram NewSeries() => new(_upperBounds);

    /// <inheritdoc/>
    private protected override void WriteSeries(PrometheusTextWriter writer, string[] labelValues, Histogram series)
    {
        var sum = series.Sum;
        var cumulative = series.CumulativeCounts();
        for (var i = 0; i < _upperBounds.Length; i++)
        {
            writer.Sample(Name, "_bucket", LabelNames, labelValues, _upperBounds[i], cumulative[i]);
        }

        writer.Sample(Name, "_bucket", LabelNames, labelValues, double.PositiveInfinity, cumulative[^1]);
        writer.Sample(Name, "_sum", LabelNames, labelValues, null, sum);
        writer.Sample(Name, "_count", LabelNames, labelValues, null, cumulative[^1]);
    }
}
