using System.Globalization;

namespace KubeProxyFast.Client.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: <c># HELP</c> (backslash and newline
/// escaped), <c># TYPE</c>, then one <c>name{label="value",…} value</c> line per sample, label
/// values escaping backslash, double quote and newline; numbers as Go's
/// <c>strconv.FormatFloat(v, 'g', -1, 64)</c> writes them in the usual range (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>).
/// </summary>
internal sealed class PrometheusTextWriter(TextWriter output)
{
    public void Header(string name, string help, MetricType type)
    {
        output.Write("# HELP ");
        output.Write(name);
        output.Write(' ');
        WriteEscaped(help, escapeQuote: false);
        output.Write('\n');
        output.Write("# TYPE ");
        output.Write(name);
        output.Write(' ');
        output.Write(type switch
        {
            MetricType.Counter => "counter",
            MetricType.Gauge => "gauge",
            _ => "histogram",
        });
        output.Write('\n');
    }

    /// <summary>One sample line; <paramref name="le"/>, when given, is a histogram bucket's bound, written as the last label.</summary>
    public void Sample(string name, string? suffix, IReadOnlyList<string> labelNames, string[] labelValues, double? le, double value)
    {
        output.Write(name);
        output.Write(suffix);
        if (labelNames.Count > 0 || le is not null)
        {
            output.Write('{');
            for (var i = 0; i < labelNames.Count; i++)
            {
                if (i > 0)
                {
                    output.Write(',');
                }

                output.Write(labelNames[i]);
                output.Write("=\"");
                WriteEscaped(labelValues[i], escapeQuote: true);
                output.Write('"');
            }

            if (le is { } bound)
            {
                output.Write(labelNames.Count > 0 ? ",le=\"" : "le=\"");
                output.Write(FormatValue(bound));
                output.Write('"');
            }

            output.Write('}');
        }

        output.Write(' ');
        output.Write(FormatValue(value));
        output.Write('\n');
    }

    /// <summary>A number as the format writes it: <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, else the shortest round-trip form (<c>1e-08</c>, <c>0.005</c>, <c>42</c>).</summary>
    public static string FormatValue(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        // .NET writes 1E-08 where Go writes 1e-08; both parse, Go's spelling matches what
        // Kubernetes components expose (their workqueue buckets start at 1e-08).
        return value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
    }

    private void WriteEscaped(string text, bool escapeQuote)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var escape = text[i] switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '"' when escapeQuote => "\\\"",
                _ => null,
            };
            if (escape is null)
            {
                continue;
            }

            output.Write(text.AsSpan(start, i - start));
            output.Write(escape);
            start = i + 1;
        }

        output.Write(text.AsSpan(start));
    }
}
