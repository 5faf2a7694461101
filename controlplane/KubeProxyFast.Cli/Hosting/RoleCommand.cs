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
    public static Command Create(string name, string description, params IRoleFlags[] roles)
    {
        var logLevel = HostLogging.LogLevelOption();
        var command = new Command(name, description);
        foreach (var role in roles)
        {
            role.AddTo(command);
        }

        command.Options.Add(logLevel);
        command.SetAction((parse, cancellationToken) =>
        {
            IRole[] bound = [.. roles.Select(r => r.Bind(parse))];
            return RunAsync(name, bound, parse.GetValue(logLevel) ?? LogLevel.Information, parse.InvocationConfiguration, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string name, IRole[] roles, LogLevel logLevel, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        using var loggerFactory = HostLogging.CreateLoggerFactory(logLevel);
        using var signals = new ShutdownSignals(loggerFactory, console.Error, name);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopping);
        using var host = new RoleHost(name, roles, loggerFactory, console.Output, console.Error);
        return await host.RunAsync(stop.Token).ConfigureAwait(false);
    }
}
