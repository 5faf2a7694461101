using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli.Hosting;

/// <summary>
/// A kpf command that runs roles: their flag sets plus the host's own (<c>--log-level</c>), and an
/// action that builds the roles, the one logger factory and the signal handling, and runs a
/// <see cref="RoleHost"/> until a signal or a failure.
/// </summary>
internal static class RoleCommand
{
    /// <summary>The command <paramref name="name"/> running the roles of <paramref name="roles"/>, started in that order.</summary>
    public static Command Create(string name, string description, params IRoleFlags[] roles) =>
        Create(name, description, roles, parse => [.. roles.Select(r => r.Bind(parse))]);

    /// <summary>
    /// The command <paramref name="name"/> with the flags of <paramref name="flagSets"/>, running the
    /// roles <paramref name="bind"/> makes of their values, in its order: for a command whose roles
    /// depend on one another (<c>kpf server</c>: the controller manager reaches the apiserver role)
    /// or are left out by a flag (<c>--disable</c>).
    /// </summary>
    public static Command Create(string name, string description, IReadOnlyList<IRoleFlags> flagSets, Func<ParseResult, IReadOnlyList<IRole>> bind)
    {
        var logLevel = HostLogging.LogLevelOption();
        var command = new Command(name, description);
        foreach (var flags in flagSets)
        {
            flags.AddTo(command);
        }

        command.Options.Add(logLevel);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(name, bind(parse), parse.GetValue(logLevel) ?? LogLevel.Information, parse.InvocationConfiguration, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string name, IReadOnlyList<IRole> roles, LogLevel logLevel, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        using var loggerFactory = HostLogging.CreateLoggerFactory(logLevel);
        using var signals = new ShutdownSignals(loggerFactory, console.Error, name);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopping);
        using var host = new RoleHost(name, roles, loggerFactory, console.Output, console.Error);
        return await host.RunAsync(stop.Token).ConfigureAwait(false);
    }
}
