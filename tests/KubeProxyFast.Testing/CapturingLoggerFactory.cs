using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Testing;

/// <summary>A logger factory that keeps every message logged through it, formatted, for tests that check what a component said.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _messages = new();

    /// <summary>Every message so far, in the order logged.</summary>
    public IReadOnlyCollection<string> Messages => _messages;

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(_messages);

    /// <summary>Not supported: this factory is its own only sink.</summary>
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("CapturingLoggerFactory keeps messages itself");

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
