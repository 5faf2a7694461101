using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry.Strategies;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// Graceful pod deletion: a pod on a node gets a deletionTimestamp, and its kubelet, once it has
/// stopped the containers, deletes it with grace 0. A pod on no node, or a delete with grace 0,
/// goes at once.
/// </summary>
internal static class PodDeletion
{
    public static async Task<KubeObject> DeleteAsync(
        ObjectRegistry registry, string ns, string name, long? gracePeriodSeconds, Preconditions? preconditions,
        DateTimeOffset now, CancellationToken cancellationToken, bool dryRun = false)
    {
        var pod = (Pod)await registry.GetAsync(Resources.Pods, ns, name, cancellationToken).ConfigureAwait(false);
        var grace = gracePeriodSeconds ?? pod.Spec?.TerminationGracePeriodSeconds ?? PodStrategy.DefaultTerminationGracePeriodSeconds;
        if (grace == 0 || string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return await registry.DeleteAsync(Resources.Pods, ns, name, preconditions, cancellationToken, dryRun).ConfigureAwait(false);
        }

        return await registry.UpdateAsync(Resources.Pods, ns, name, current =>
        {
            // Checked on every read, as a plain delete checks them: uid and resourceVersion alike.
            ObjectRegistry.CheckPreconditions(Resources.Pods, current, preconditions);
            // A second delete may shorten the grace period, never lengthen it.
            if (current.Metadata.DeletionTimestamp is null || grace < current.Metadata.DeletionGracePeriodSeconds)
            {
                current.Metadata.DeletionTimestamp = ObjectLifecycle.Seconds(now.AddSeconds(grace));
                current.Metadata.DeletionGracePeriodSeconds = grace;
            }

            return new Mutation(current, null) { MarksDeletion = true };
        }, cancellationToken, dryRun).ConfigureAwait(false);
    }
}
