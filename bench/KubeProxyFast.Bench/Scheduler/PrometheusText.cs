using System.Globalization;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// Samples of a Prometheus text exposition (what <c>/metrics</c> serves), summed over label sets
/// that match a filter, and the quantile of a histogram as Prometheus' <c>histogram_quantile</c>
/// estimates it: linear within the bucket the rank falls in.
/// </summary>
internal sealed class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private PrometheusText()
    {
    }

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var labels = new Dictionary<string, string>();
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            string name;
            if (brace >= 0 && brace < space)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                foreach (var pair in line[(brace + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    labels[pair[..eq].Trim()] = pair[(eq + 1)..].Trim().Trim('"');
                }

                space = line.IndexOf(' ', close);
            }
            else
            {
                name = line[..space];
            }

            var value = line[(space + 1)..].Split(' ')[0];
            parsed._samples.Add((name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }

        return parsed;
    }

    /// <summary>The sum of <paramref name="name"/> over the label sets <paramref name="match"/> accepts (0 when absent).</summary>
    public double Sum(string name, Func<IReadOnlyDictionary<string, string>, bool>? match = null) =>
        _samples.Where(s => s.Name == name && (match is null || match(s.Labels))).Sum(s => s.Value);

    /// <summary>The cumulative bucket counts of histogram <paramref name="name"/> by upper bound, summed over the accepted label sets.</summary>
    public SortedDictionary<double, double> Buckets(string name, Func<IReadOnlyDictionary<string, string>, bool>? match = null)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var (sample, labels, value) in _samples)
        {
            if (sample == name + "_bucket" && (match is null || match(labels)))
            {
                var le = labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(labels["le"], CultureInfo.InvariantCulture);
                buckets[le] = buckets.GetValueOrDefault(le) + value;
            }
        }

        return buckets;
    }

    /// <summary>
    /// The <paramref name="q"/> quantile of the observations between two scrapes (<paramref name="after"/> − <paramref name="before"/>),
    /// interpolated within its bucket; the highest finite bound when it falls in +Inf; NaN without observations.
    /// </summary>
    public static double Quantile(double q, SortedDictionary<double, double> before, SortedDictionary<double, double> after)
    {
        var bounds = after.Keys.ToArray();
        var counts = bounds.Select(b => after[b] - before.GetValueOrDefault(b)).ToArray();
        if (counts.Length == 0 || counts[^1] <= 0)
        {
            return double.NaN;
        }

        var rank = q * counts[^1];
        for (var i = 0; i < bounds.Length; i++)
        {
            if (counts[i] >= rank)
            {
                if (double.IsPositiveInfinity(bounds[i]))
                {
                    return bounds[Math.Max(0, i - 1)];
                }

                var lower = i == 0 ? 0 : bounds[i - 1];
                var below = i == 0 ? 0 : counts[i - 1];
                var inBucket = counts[i] - below;
                return inBucket <= 0 ? bounds[i] : lower + ((bounds[i] - lower) * (rank - below) / inBucket);
            }
        }

        return bounds[^1];
    }
}
