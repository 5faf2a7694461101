using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli;

/// <summary>What every long-running kpf command shares: choice flags, logging to stderr, stopping on signals.</summary>
internal static class CommandParts
{
    private static readonly (string Name, LogLevel Value)[] LogLevelChoices =
    [
        ("trace", LogLevel.Trace), ("debug", LogLevel.Debug), ("info", LogLevel.Information),
        ("warning", LogLevel.Warning), ("error", LogLevel.Error), ("critical", LogLevel.Critical),
    ];

    /// <summary><c>--log-level</c>.</summary>
    public static Option<LogLevel?> LogLevelOption() =>
        Choice("--log-level", "Least severe log messages written (to stderr)", LogLevelChoices, LogLevel.Information);

    // Choices have no DefaultValueFactory (an unset flag reads as null, and the caller applies the
    // default) because help would print the default as .NET formats it ("Random") next to the one
    // written as the flag takes it.
    public static Option<T?> Choice<T>(string name, string description, (string Name, T Value)[] choices, T defaultValue)
        where T : struct
    {
        var names = string.Join("|", choices.Select(c => c.Name));
        return new Option<T?>(name)
        {
            Description = $"{description} [default: {choices.First(c => c.Value.Equals(defaultValue)).Name}]",
            HelpName = names,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                foreach (var (choice, value) in choices)
                {
                    if (string.Equals(choice, text, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }

                result.AddError($"{name}: unknown value \"{text}\" (expected one of: {string.Join(", ", choices.Select(c => c.Name))})");
                return defaultValue;
            },
        };
    }

    /// <summary>Logs to stderr, as Kubernetes components do; stdout stays for output.</summary>
    public static ILoggerFactory CreateLoggerFactory(LogLevel level) => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(level)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(format =>
        {
            format.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            format.UseUtcTimestamp = true;
        }));

    /// <summary>
    /// Cancels <paramref name="stop"/> on SIGINT or SIGTERM. Signals are handled here rather than
    /// left to System.CommandLine: its synchronous Invoke (KpfCommandLine.Run) installs no
    /// termination handler, so the runtime's default action would kill the process with listeners
    /// and connections still open. The first signal stops gracefully; a second one, if stopping
    /// hangs, kills as usual.
    /// </summary>
    public static IDisposable StopOnSignals(CancellationTokenSource stop) => new SignalRegistrations(stop);

    private sealed class SignalRegistrations : IDisposable
    {
        private readonly PosixSignalRegistration _sigint;
        private readonly PosixSignalRegistration _sigterm;

        public SignalRegistrations(CancellationTokenSource stop)
        {
            _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

            void OnSignal(PosixSignalContext signal)
            {
                signal.Cancel = !stop.IsCancellationRequested;
                stop.Cancel();
            }
        }

        public void Dispose()
        {
            _sigint.Dispose();
            _sigterm.Dispose();
        }
    }
}
