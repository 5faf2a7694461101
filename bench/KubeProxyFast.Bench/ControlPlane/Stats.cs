using System.Diagnostics;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>Nearest-rank percentiles of Stopwatch tick samples, in milliseconds.</summary>
internal static class Stats
{
    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>p50, p99 and max of <paramref name="ticks"/> (sorted in place); all zero when empty.</summary>
    public static Dictionary<string, object> Summary(long[] ticks)
    {
        Array.Sort(ticks);
        return new Dictionary<string, object>
        {
            ["samples"] = ticks.Length,
            ["p50_ms"] = Percentile(ticks, 0.50),
            ["p99_ms"] = Percentile(ticks, 0.99),
            ["max_ms"] = ticks.Length == 0 ? 0 : Ms(ticks[^1]),
        };
    }

    /// <summary>
    /// The summary of receive − reference over every watcher × event where both times were
    /// taken (0 means the event never arrived, or the reference was never seen).
    /// </summary>
    public static Dictionary<string, object> Delays(long[][] received, long[] reference)
    {
        var delays = new List<long>();
        foreach (var times in received)
        {
            for (var i = 0; i < times.Length; i++)
            {
                if (times[i] != 0 && reference[i] != 0)
                {
                    delays.Add(times[i] - reference[i]);
                }
            }
        }

        return Summary([.. delays]);
    }

    private static double Percentile(long[] sorted, double q) =>
        sorted.Length == 0 ? 0 : Ms(sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)]);
}
