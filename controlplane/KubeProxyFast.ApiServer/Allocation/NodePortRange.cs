using System.Globalization;

namespace KubeProxyFast.ApiServer.Allocation;

/// <summary>The node port range (<c>--service-node-port-range</c>, default 30000-32767).</summary>
/// <param name="First">The lowest port.</param>
/// <param name="Last">The highest port.</param>
internal sealed record NodePortRange(int First, int Last)
{
    /// <summary>Kubernetes' default range.</summary>
    public static NodePortRange Default { get; } = new(30000, 32767);

    /// <summary>How many ports.</summary>
    public int Size => Last - First + 1;

    /// <summary>Parses <c>first-last</c>.</summary>
    /// <exception cref="FormatException">The text names the problem.</exception>
    public static NodePortRange Parse(string text)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0
            && int.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first is >= 1 and <= 65535 && last >= first && last <= 65535)
        {
            return new NodePortRange(first, last);
        }

        throw new FormatException($"service node port range \"{text}\" is not first-last with ports from 1 to 65535 (e.g. 30000-32767)");
    }

    /// <inheritdoc/>
    public override string ToString() => First.ToString(CultureInfo.InvariantCulture) + "-" + Last.ToString(CultureInfo.InvariantCulture);
}
