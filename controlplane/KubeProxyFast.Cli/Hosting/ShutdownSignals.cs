using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli.Hosting;

/// <summary>
/// SIGINT and SIGTERM for the <see cref="RoleHost"/>: the first cancels <see cref="Stopping"/>, so
/// the host stops its roles gracefully; a second one, while they stop, exits the process at once
/// with 128 + the signal's number (130, 143), as a shell reports a process killed by it.
/// Signals are handled here rather than left to System.CommandLine: its synchronous Invoke
/// (KpfCommandLine.Run) installs no termination handler, so the runtime's default action would
/// end the process with listeners, connections and netfilter rules still in place.
/// </summary>
internal sealed partial class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private readonly ILogger _logger;
    private readonly TextWriter _error;
    private readonly string _command;
    private int _received;

    /// <summary>Takes SIGINT and SIGTERM until disposed.</summary>
    /// <param name="loggerFactory">Where the first signal is logged.</param>
    /// <param name="error">Where the forced exit is said (written at once: the logger's queue would not be flushed before the exit).</param>
    /// <param name="command">The kpf command, for the prefix of that line.</param>
    public ShutdownSignals(ILoggerFactory loggerFactory, TextWriter error, string command)
    {
        _logger = loggerFactory.CreateLogger("kpf");
        _error = error;
        _command = command;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <inheritdoc/>
    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stopping.Dispose();
    }

    private void OnSignal(PosixSignalContext signal)
    {
        var name = signal.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";
        signal.Cancel = true;
        if (Interlocked.Increment(ref _received) == 1)
        {
            LogStopping(_logger, name);
            _stopping.Cancel();
            return;
        }

        _error.WriteLine($"kpf {_command}: {name} again: exiting without waiting for the roles to stop");
        _error.Flush();
        // Environment.Exit runs no role's stop and waits for no thread; the kernel closes the
        // process's sockets. What it cannot undo (a netfilter table) is what --keep-rules leaves anyway.
        Environment.Exit(128 + (signal.Signal == PosixSignal.SIGINT ? 2 : 15));
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{Signal}: stopping (a second signal exits at once)")]
    private static partial void LogStopping(ILogger logger, string signal);
}
