using System.CommandLine;

namespace KubeProxyFast.Cli.Roles;

/// <summary>
/// Which of <c>kpf server</c>'s roles to leave out: <c>--disable scheduler,controllers</c>, and
/// k3s's <c>--disable-scheduler</c> and <c>--disable-controller-manager</c>. The apiserver always runs.
/// </summary>
internal sealed class ServerDisableFlags
{
    /// <summary>The scheduler, in <c>--disable</c>.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>The controller manager, in <c>--disable</c> (<c>controller-manager</c> is taken too).</summary>
    public const string Controllers = "controllers";

    private static readonly Dictionary<string, string> Components = new(StringComparer.Ordinal)
    {
        [Scheduler] = Scheduler,
        [Controllers] = Controllers,
        ["controller-manager"] = Controllers,
    };

    private readonly Option<string[]> _disable = new("--disable")
    {
        Description = $"Roles to leave out, comma-separated or repeated: {Scheduler}, {Controllers} (the apiserver always runs)",
        HelpName = "roles",
        CustomParser = result =>
        {
            var names = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            foreach (var name in names.Where(n => !Components.ContainsKey(n)))
            {
                result.AddError($"--disable: unknown role \"{name}\" (valid items: {Scheduler}, {Controllers})");
            }

            return [.. names.Where(Components.ContainsKey).Select(n => Components[n])];
        },
    };

    private readonly Option<bool> _disableScheduler = new("--disable-scheduler") { Description = "Do not run the scheduler (as --disable scheduler)" };

    private readonly Option<bool> _disableControllerManager = new("--disable-controller-manager") { Description = "Do not run the controller manager (as --disable controllers)" };

    /// <summary>Adds the flags.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_disable);
        command.Options.Add(_disableScheduler);
        command.Options.Add(_disableControllerManager);
    }

    /// <summary>True when <paramref name="component"/> (<see cref="Scheduler"/>, <see cref="Controllers"/>) is left out.</summary>
    public bool IsDisabled(ParseResult parse, string component) =>
        (parse.GetValue(_disable) ?? []).Contains(component)
        || (component == Scheduler && parse.GetValue(_disableScheduler))
        || (component == Controllers && parse.GetValue(_disableControllerManager));
}
