using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Errors;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// The pods a replication controller owns (an ownerReference with its uid), deleted or released
/// with it — the part of Kubernetes' garbage collector that this API needs.
/// </summary>
internal static class Dependents
{
    /// <summary>Deletes the owned pods (gracefully, as any pod delete).</summary>
    public static async Task DeleteAsync(ObjectRegistry registry, KubeObject owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var pod in await OwnedPodsAsync(registry, owner, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await PodDeletion.DeleteAsync(registry, pod.Metadata.Namespace!, pod.Metadata.Name!, null, null, now, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (StatusException e) when (e.Code == 404)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Removes the owner's reference from the owned pods, which then live on unowned.</summary>
    public static async Task OrphanAsync(ObjectRegistry registry, KubeObject owner, CancellationToken cancellationToken)
    {
        var uid = owner.Metadata.Uid;
        foreach (var pod in await OwnedPodsAsync(registry, owner, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await registry.UpdateAsync(Resources.Pods, pod.Metadata.Namespace, pod.Metadata.Name!, current =>
                {
                    current.Metadata.OwnerReferences?.RemoveAll(r => r.Uid == uid);
                    if (current.Metadata.OwnerReferences is { Count: 0 })
                    {
                        current.Metadata.OwnerReferences = null;
                    }

                    return new Mutation(current, null);
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (StatusException e) when (e.Code == 404)
            {
                // Already gone.
            }
        }
    }

    private static async Task<List<Pod>> OwnedPodsAsync(ObjectRegistry registry, KubeObject owner, CancellationToken cancellationToken)
    {
        var list = await registry.Store.ListAsync(Resources.Pods.Prefix(owner.Metadata.Namespace), null, cancellationToken).ConfigureAwait(false);
        var owned = new List<Pod>();
        foreach (var value in list.Items)
        {
            var pod = (Pod)ObjectCodec.Decode(Resources.Pods, value);
            if (pod.Metadata.OwnerReferences?.Exists(r => r.Uid == owner.Metadata.Uid) == true)
            {
                owned.Add(pod);
            }
        }

        return owned;
    }
}
