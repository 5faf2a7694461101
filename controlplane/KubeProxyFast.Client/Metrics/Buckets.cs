namespace KubeProxyFast.Client.Metrics;

/// <summary>Histogram bucket bounds, as client_golang makes them.</summary>
public static class Buckets
{
    /// <summary>client_golang's default buckets (seconds): 5 ms to 10 s.</summary>
    public static double[] Default => [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary><paramref name="count"/> bounds, the first <paramref name="start"/>, each <paramref name="factor"/> times the one before.</summary>
    public static double[] Exponential(double start, double factor, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(start);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(factor, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var bounds = new double[count];
        bounds[0] = start;
        for (var i = 1; i < count; i++)
        {
            bounds[i] = bounds[i - 1] * factor;
        }

        return bounds;
    }
}
