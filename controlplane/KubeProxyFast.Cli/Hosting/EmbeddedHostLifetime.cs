using Microsoft.Extensions.Hosting;

namespace KubeProxyFast.Cli.Hosting;

/// <summary>
/// A web host lifetime that does nothing: the default one (ConsoleLifetime) would take SIGINT and
/// SIGTERM for itself, and signals belong to the <see cref="RoleHost"/> (see README, "The role contract").
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
