using KubeProxyFast.Cli.Roles.Leading;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Scheduler;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli.Roles.Scheduler;

/// <summary>
/// kube-scheduler as a role: while it holds the Lease <c>kube-system/kube-scheduler</c>, a
/// <see cref="KubeProxyFast.Scheduler.Scheduler"/> binds pending pods, over a new informer factory
/// per term; <c>/metrics</c> has its <c>scheduler_*</c> series.
/// </summary>
internal sealed class SchedulerRole(SchedulerOptions options, LeadingRoleSettings settings)
    : LeaderElectedRole("kube-scheduler", settings)
{
    /// <inheritdoc/>
    public override string Name => "scheduler";

    /// <inheritdoc/>
    protected override async Task RunTermAsync(KubeClient client, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var informers = new SharedInformerFactory(client);
        await using (informers.ConfigureAwait(false))
        {
            var scheduler = new KubeProxyFast.Scheduler.Scheduler(client, informers, loggerFactory, TimeProvider.System, options, Metrics);
            await using (scheduler.ConfigureAwait(false))
            {
                informers.Start(cancellationToken);
                await scheduler.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
