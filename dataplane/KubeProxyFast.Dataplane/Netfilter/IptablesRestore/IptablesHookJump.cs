using System.Collections.Immutable;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

/// <summary>
/// A rule in a builtin chain (PREROUTING, OUTPUT, …) that sends packets into one of our chains.
/// The renderer's ruleset declares, and so flushes, only its own chains; these rules live in
/// chains it must not flush, and <c>iptables-restore --noflush</c> appends a rule again on every
/// load, so they are rendered only when the caller asks (<see cref="IptablesRenderOptions.HookJumps"/>).
/// </summary>
/// <param name="Table">The table: <c>nat</c> or <c>filter</c>.</param>
/// <param name="Chain">The builtin chain.</param>
/// <param name="Rule">The rule's matches and target, exactly as <c>iptables-save</c> prints them.</param>
public sealed record IptablesHookJump(string Table, string Chain, string Rule)
{
    /// <summary>
    /// The jumps kube-proxy installs: nat PREROUTING and OUTPUT to KUBE-SERVICES, POSTROUTING to
    /// KUBE-POSTROUTING; for new connections, filter OUTPUT and FORWARD to KUBE-SERVICES, INPUT
    /// and FORWARD to KUBE-EXTERNAL-SERVICES.
    /// </summary>
    public static ImmutableArray<IptablesHookJump> All { get; } =
    [
        new("filter", "INPUT", NewConnections(KubeChains.ExternalPortalsComment, KubeChains.ExternalServices)),
        new("filter", "FORWARD", NewConnections(KubeChains.ServicePortalsComment, KubeChains.Services)),
        new("filter", "FORWARD", NewConnections(KubeChains.ExternalPortalsComment, KubeChains.ExternalServices)),
        new("filter", "OUTPUT", NewConnections(KubeChains.ServicePortalsComment, KubeChains.Services)),
        new("nat", "PREROUTING", Commented(KubeChains.ServicePortalsComment, KubeChains.Services)),
        new("nat", "OUTPUT", Commented(KubeChains.ServicePortalsComment, KubeChains.Services)),
        new("nat", "POSTROUTING", Commented(KubeChains.PostRoutingComment, KubeChains.PostRouting)),
    ];

    /// <summary>The rule as a line of <c>iptables-save</c> (and of restore input): <c>-A CHAIN rule</c>.</summary>
    public string Line => $"-A {Chain} {Rule}";

    /// <summary>
    /// The jumps of <see cref="All"/> that <paramref name="iptablesSave"/> (the output of
    /// <c>iptables-save</c>, all tables or some) does not hold, in the order of <see cref="All"/>.
    /// Rendering exactly these makes a load idempotent, as long as nothing edits the builtin
    /// chains between the save and the restore.
    /// </summary>
    public static ImmutableArray<IptablesHookJump> MissingFrom(string iptablesSave)
    {
        ArgumentNullException.ThrowIfNull(iptablesSave);
        var present = new HashSet<(string Table, string Line)>();
        var table = "";
        foreach (var raw in iptablesSave.AsSpan().EnumerateLines())
        {
            var line = raw.TrimEnd();
            if (line.StartsWith('*'))
            {
                table = line[1..].ToString();
            }
            else if (line.StartsWith("-A "))
            {
                present.Add((table, line.ToString()));
            }
        }

        return [.. All.Where(j => !present.Contains((j.Table, j.Line)))];
    }

    private static string Commented(string comment, string target) => $"-m comment --comment \"{comment}\" -j {target}";

    private static string NewConnections(string comment, string target) => $"-m conntrack --ctstate NEW {Commented(comment, target)}";
}
