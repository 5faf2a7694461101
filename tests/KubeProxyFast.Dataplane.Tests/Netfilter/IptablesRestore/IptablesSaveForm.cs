using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.IptablesRestore;

/// <summary>
/// Compares rendered rules with what <c>iptables-save</c> prints back. The renderer writes the
/// matches in the order iptables-save prints them, so only three rewrites remain, each a fact of
/// the extension's save function (iptables 1.8): MARK prints <c>--set-xmark value/mask</c>;
/// recent prints its options in its own order plus the defaults <c>--mask 255.255.255.255 --rsource</c>;
/// statistic keeps the probability as a 31-bit fixed-point number and prints it with 11 decimals.
/// </summary>
internal static partial class IptablesSaveForm
{
    /// <summary>The lines that describe our state, table-qualified ("nat|-A …"): declared KUBE chains and every rule.</summary>
    public static List<string> RulesAndChains(string text)
    {
        var lines = new List<string>();
        var table = "";
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('*'))
            {
                table = line[1..];
            }
            else if (line.StartsWith(":KUBE-", StringComparison.Ordinal) || line.StartsWith("-A ", StringComparison.Ordinal))
            {
                lines.Add($"{table}|{line}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>A rendered line as iptables-save will print it.</summary>
    public static string Of(string rendered)
    {
        var line = OrMark().Replace(rendered, "-j MARK --set-xmark $1/$1");
        line = XorMark().Replace(line, "-j MARK --set-xmark $1/0x0");
        line = RecentCheck().Replace(line, "-m recent --rcheck --seconds $2 --reap --name $1 --mask 255.255.255.255 --rsource");
        line = RecentSet().Replace(line, "-m recent --set --name $1 --mask 255.255.255.255 --rsource");
        return Probability().Replace(line, m =>
        {
            // libxt_statistic: lround(0x80000000 * p) on parse, "%.11f" of n / 0x80000000 on save.
            var fixedPoint = Math.Round(0x80000000 * double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), MidpointRounding.AwayFromZero);
            return "--probability " + (fixedPoint / 0x80000000).ToString("F11", CultureInfo.InvariantCulture);
        });
    }

    [GeneratedRegex(@"-j MARK --or-mark (\S+)")]
    private static partial Regex OrMark();

    [GeneratedRegex(@"-j MARK --xor-mark (\S+)")]
    private static partial Regex XorMark();

    [GeneratedRegex(@"-m recent --name (\S+) --rcheck --seconds (\d+) --reap")]
    private static partial Regex RecentCheck();

    [GeneratedRegex(@"-m recent --name (\S+) --set")]
    private static partial Regex RecentSet();

    [GeneratedRegex(@"--probability ([0-9.]+)")]
    private static partial Regex Probability();
}
