using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer;

/// <summary>Hands the web host's loggers to a factory the caller owns (and disposes).</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    public void Dispose()
    {
        // The factory is the caller's.
    }
}
