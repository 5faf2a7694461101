using Microsoft.Extensions.Hosting;

namespace KubeProxyFast.KubeProxy.Metrics;

/// <summary>
/// A host lifetime that does nothing. The default one (ConsoleLifetime) takes SIGINT and SIGTERM
/// for itself and merely stops the web host, so the proxy itself would never hear of them; the
/// signals belong to the command that owns the process.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
