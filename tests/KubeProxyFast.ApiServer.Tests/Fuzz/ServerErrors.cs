using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Tests.Fuzz;

/// <summary>
/// A logger provider that keeps what the server logs as an error — the exception behind a 500 —
/// so a failure report shows where it was thrown, not only the Status message.
/// </summary>
internal sealed class ServerErrors : ILoggerProvider, ILogger
{
    private const int Kept = 50;

    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>The errors logged since the last call, oldest first.</summary>
    public List<string> Drain()
    {
        var errors = new List<string>();
        while (_errors.TryDequeue(out var error))
        {
            errors.Add(error);
        }

        return errors;
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        // The exception's type, message and our own frames: enough to find the line.
        var frames = exception?.StackTrace?.Split('\n').Where(f => f.Contains("KubeProxyFast", StringComparison.Ordinal)).Take(4) ?? [];
        var message = $"{formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message}";
        _errors.Enqueue($"{(message.Length > 500 ? message[..500] + "…" : message)}\n      {string.Join("\n      ", frames.Select(f => f.Trim()))}");
        while (_errors.Count > Kept && _errors.TryDequeue(out _))
        {
        }
    }
}
