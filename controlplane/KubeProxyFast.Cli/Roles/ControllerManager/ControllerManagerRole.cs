using KubeProxyFast.Cli.Roles.Leading;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Controllers;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli.Roles.ControllerManager;

/// <summary>
/// kube-controller-manager as a role: while it holds the Lease <c>kube-system/kube-controller-manager</c>,
/// a <see cref="Controllers.ControllerManager"/> runs the controllers <c>--controllers</c> enables,
/// over a new informer factory per term; <c>/metrics</c> has their work queues' series.
/// </summary>
internal sealed class ControllerManagerRole(ControllerManagerOptions options, LeadingRoleSettings settings)
    : LeaderElectedRole("kube-controller-manager", settings)
{
    /// <inheritdoc/>
    public override string Name => "controller-manager";

    /// <inheritdoc/>
    protected override async Task RunTermAsync(KubeClient client, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var informers = new SharedInformerFactory(client);
        await using (informers.ConfigureAwait(false))
        {
            var context = new ControllerContext(client, informers, loggerFactory, TimeProvider.System, Metrics);
            await using (context.ConfigureAwait(false))
            {
                await new Controllers.ControllerManager(context, options).RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
