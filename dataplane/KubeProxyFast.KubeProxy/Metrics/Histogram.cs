using System.Globalization;
using System.Text;

namespace KubeProxyFast.KubeProxy.Metrics;

/// <summary>
/// A Prometheus histogram: cumulative counts per upper bound, a sum and a count. Observed once per
/// sync or per applied change (never on the traffic path), so a lock is cheap enough and keeps a
/// scrape's buckets, sum and count consistent with each other.
/// </summary>
public sealed class Histogram
{
    private readonly Lock _lock = new();
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private double _sum;
    private long _count;

    /// <summary>A histogram with these upper bounds (ascending; +Inf is implied).</summary>
    public Histogram(IEnumerable<double> bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        _bounds = [.. bounds];
        for (var i = 1; i < _bounds.Length; i++)
        {
            if (!(_bounds[i] > _bounds[i - 1]))
            {
                throw new ArgumentException("bucket bounds must be ascending", nameof(bounds));
            }
        }

        _counts = new long[_bounds.Length];
    }

    /// <summary>Observations so far.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary><paramref name="count"/> bounds from <paramref name="start"/>, each <paramref name="width"/> above the last (Prometheus' LinearBuckets).</summary>
    public static IEnumerable<double> Linear(double start, double width, int count) =>
        Enumerable.Range(0, count).Select(i => start + (i * width));

    /// <summary><paramref name="count"/> bounds from <paramref name="start"/>, each <paramref name="factor"/> times the last (Prometheus' ExponentialBuckets).</summary>
    public static IEnumerable<double> Exponential(double start, double factor, int count) =>
        Enumerable.Range(0, count).Select(i => start * Math.Pow(factor, i));

    /// <summary>Records one value, in seconds.</summary>
    public void Observe(double value)
    {
        lock (_lock)
        {
            var i = Array.BinarySearch(_bounds, value);
            // A value equal to a bound belongs to that bucket (le); otherwise to the first bound above it.
            for (var b = i >= 0 ? i : ~i; b < _counts.Length; b++)
            {
                _counts[b]++;
            }

            _sum += value;
            _count++;
        }
    }

    /// <summary>Writes the family's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> samples (HELP and TYPE are the caller's).</summary>
    public void Write(StringBuilder output, string name)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (_lock)
        {
            for (var i = 0; i < _bounds.Length; i++)
            {
                output.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"{_bounds[i].ToString("0.###", CultureInfo.InvariantCulture)}\"}} {_counts[i]}\n");
            }

            output.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"+Inf\"}} {_count}\n");
            output.Append(CultureInfo.InvariantCulture, $"{name}_sum {_sum.ToString("0.#########", CultureInfo.InvariantCulture)}\n");
            output.Append(CultureInfo.InvariantCulture, $"{name}_count {_count}\n");
        }
    }
}
