using Microsoft.Extensions.Hosting;

namespace KubeProxyFast.ApiServer;

/// <summary>
/// A host lifetime that does nothing. The default one (ConsoleLifetime) takes SIGINT, SIGQUIT and
/// SIGTERM for itself and stops the web host on the first: the apiserver would stop before the
/// roles that depend on it, out of the order kpf's role host stops them in, and the host's
/// second-signal exit would never run. The signals belong to the process's role host.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
