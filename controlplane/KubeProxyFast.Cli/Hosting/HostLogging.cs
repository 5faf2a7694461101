using System.CommandLine;
using Microsoft.Extensions.Logging;
using KubeProxyFast.Cli.Flags;

namespace KubeProxyFast.Cli.Hosting;

/// <summary>The one logging setup of a kpf process, shared by every role the host runs: <c>--log-level</c>, to stderr.</summary>
internal static class HostLogging
{
    private static readonly (string Name, LogLevel Value)[] LogLevelChoices =
    [
        ("trace", LogLevel.Trace), ("debug", LogLevel.Debug), ("info", LogLevel.Information),
        ("warning", LogLevel.Warning), ("error", LogLevel.Error), ("critical", LogLevel.Critical),
    ];

    /// <summary><c>--log-level</c>.</summary>
    public static Option<LogLevel?> LogLevelOption() =>
        FlagParts.Choice("--log-level", "Least severe log messages written (to stderr)", LogLevelChoices, LogLevel.Information);

    /// <summary>Logs to stderr, as Kubernetes components do; stdout stays for output.</summary>
    public static ILoggerFactory CreateLoggerFactory(LogLevel level) => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(level)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(format =>
        {
            format.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            format.UseUtcTimestamp = true;
        }));
}
