using System.Collections.Immutable;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

/// <summary>How <see cref="IptablesRestoreRenderer"/> renders a snapshot.</summary>
public sealed record IptablesRenderOptions
{
    /// <summary>No hook jumps, no chains to delete: the output touches only the chains it declares and can be loaded any number of times.</summary>
    public static IptablesRenderOptions Default { get; } = new();

    /// <summary>
    /// Rules to append to builtin chains in the same transaction. Empty by default. Pass
    /// <see cref="IptablesHookJump.All"/> for tables known to lack them (a fresh network namespace,
    /// a node after boot), or <see cref="IptablesHookJump.MissingFrom"/> of a fresh
    /// <c>iptables-save</c>: <c>--noflush</c> appends a rule each time it is loaded.
    /// </summary>
    public ImmutableArray<IptablesHookJump> HookJumps { get; init; } = [];

    /// <summary>
    /// Per-service-port and per-endpoint chains (<c>KUBE-SVC-</c>, <c>KUBE-EXT-</c>, <c>KUBE-SEP-</c>)
    /// now in the nat table. Those the snapshot no longer renders are flushed and deleted
    /// (<c>-X</c>) in the same transaction; without this, a removed service leaves its chains
    /// behind, unreferenced. Other names are ignored.
    /// </summary>
    public ImmutableArray<string> ExistingChains { get; init; } = [];

    /// <summary>
    /// The options for a sync against the tables as <paramref name="iptablesSave"/> (a fresh
    /// <c>iptables-save</c>) shows them: the hook jumps they lack and our chains they hold.
    /// </summary>
    public static IptablesRenderOptions FromSave(string iptablesSave)
    {
        ArgumentNullException.ThrowIfNull(iptablesSave);
        var chains = ImmutableArray.CreateBuilder<string>();
        var inNat = false;
        foreach (var line in iptablesSave.AsSpan().EnumerateLines())
        {
            if (line.StartsWith('*'))
            {
                inNat = line.TrimEnd().SequenceEqual("*nat");
            }
            else if (inNat && line.StartsWith(":KUBE-") && line.IndexOf(' ') is > 1 and var end)
            {
                chains.Add(line[1..end].ToString());
            }
        }

        return new IptablesRenderOptions { HookJumps = IptablesHookJump.MissingFrom(iptablesSave), ExistingChains = chains.ToImmutable() };
    }
}
