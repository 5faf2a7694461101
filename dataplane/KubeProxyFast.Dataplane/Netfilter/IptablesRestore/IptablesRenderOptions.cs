using System.Collections.Immutable;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

/// <summary>How <see cref="IptablesRestoreRenderer"/> renders a snapshot.</summary>
public sealed record IptablesRenderOptions
{
    /// <summary>No hook jumps: the output touches only our own chains and can be loaded any number of times.</summary>
    public static IptablesRenderOptions Default { get; } = new();

    /// <summary>
    /// Rules to append to builtin chains in the same transaction. Empty by default. Pass
    /// <see cref="IptablesHookJump.All"/> for tables known to lack them (a fresh network namespace,
    /// a node after boot), or <see cref="IptablesHookJump.MissingFrom"/> of a fresh
    /// <c>iptables-save</c>: <c>--noflush</c> appends a rule each time it is loaded.
    /// </summary>
    public ImmutableArray<IptablesHookJump> HookJumps { get; init; } = [];
}
