namespace KubeProxyFast.Client.Metrics;

/// <summary>A metric family's type, as the <c># TYPE</c> line of the Prometheus text format names it.</summary>
public enum MetricType
{
    /// <summary>A value that only goes up (resets to zero when the process restarts).</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Observations counted in cumulative buckets, with their sum and count.</summary>
    Histogram,
}
