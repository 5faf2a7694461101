using System.CommandLine;

namespace KubeProxyFast.Cli.Hosting;

/// <summary>
/// One role's flags, defined in one place: added to every command that runs the role
/// (<c>kpf proxy</c> alone, later <c>kpf agent</c> and <c>kpf up</c> with other roles), and bound
/// into the role they configure. Values are checked by the options' own parsers and validators,
/// so a bad flag fails the command, naming the flag, before any role starts.
/// </summary>
internal interface IRoleFlags
{
    /// <summary>Adds the role's options (and any validator across them) to <paramref name="command"/>.</summary>
    void AddTo(Command command);

    /// <summary>The role, configured by the values of <paramref name="parse"/> (a parse without errors).</summary>
    IRole Bind(ParseResult parse);
}
