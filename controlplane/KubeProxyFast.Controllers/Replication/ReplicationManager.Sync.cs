using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.Replication;

// One sync of one controller (Kubernetes' syncReplicaSet): level-based, from the caches.
public sealed partial class ReplicationManager
{
    /// <summary>Syncs the controller <paramref name="key"/>; throws to be retried with backoff.</summary>
    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var ns = key[..slash];
        var name = key[(slash + 1)..];
        var rc = _rcs.Lister.Get(ns, name);
        if (rc is null)
        {
            _expectations.Delete(key);
            return;
        }

        var mayManage = _expectations.Satisfied(key, out var expiresIn);
        var claimer = new PodClaimer(rc, _podControl, token => _context.Client.GetAsync<ReplicationController>(ns, name, token));
        var pods = await claimer.ClaimAsync(ActivePodsOf(rc), cancellationToken).ConfigureAwait(false);

        Exception? manageError = null;
        if (!mayManage)
        {
            // Waiting for the watch to show earlier creates or deletes. Should an event never come,
            // sync again once the expectations expire rather than at the next resync.
            _queue.AddAfter(key, expiresIn);
        }
        else if (rc.Metadata.DeletionTimestamp is null)
        {
            try
            {
                await ManageReplicasAsync(key, rc, pods, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or KubeConnectionException or InvalidOperationException)
            {
                manageError = e;
            }
        }

        var status = ReplicationStatus.Calculate(rc, pods, manageError, _context.Time.GetUtcNow());
        var updated = await UpdateStatusAsync(key, rc, status, cancellationToken).ConfigureAwait(false);

        // Resync after minReadySeconds as the last line of defence for availability (no event
        // says a pod became available).
        var replicas = updated.Spec?.Replicas ?? 1;
        if (manageError is null && updated.Spec?.MinReadySeconds is > 0 and var minReady
            && (updated.Status?.ReadyReplicas ?? 0) == replicas && (updated.Status?.AvailableReplicas ?? 0) != replicas)
        {
            _queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }

        if (manageError is not null)
        {
            throw manageError;
        }
    }

    /// <summary>
    /// The active pods (not Succeeded, not Failed, not being deleted) the controller may claim:
    /// those it controls and the namespace's orphans. Pods controlled by anyone else are not read.
    /// </summary>
    private List<Pod> ActivePodsOf(ReplicationController rc)
    {
        var owned = _pods.Lister.ByIndex(ControllerUidIndex, rc.Metadata.Uid ?? "");
        var orphans = _pods.Lister.ByIndex(OrphansIndex, rc.Metadata.Namespace ?? "");
        var active = new List<Pod>(owned.Count + orphans.Count);
        foreach (var list in (ReadOnlySpan<IReadOnlyList<Pod>>)[owned, orphans])
        {
            foreach (var pod in list)
            {
                if (PodStates.IsActive(pod))
                {
                    active.Add(pod);
                }
            }
        }

        return active;
    }

    /// <summary>
    /// Writes <paramref name="status"/> through <c>replicationcontrollers/status</c> unless the
    /// controller already says it; on a failure reads the controller again and tries once more
    /// (Kubernetes' statusUpdateRetries). Returns the controller as it now is.
    /// </summary>
    private async Task<ReplicationController> UpdateStatusAsync(
        string key, ReplicationController rc, ReplicationControllerStatus status, CancellationToken cancellationToken)
    {
        if (ReplicationStatus.Unchanged(rc, status) && rc.Metadata.Generation == rc.Status?.ObservedGeneration)
        {
            return rc;
        }

        rc.Status = status;
        try
        {
            return await _context.Client.UpdateStatusAsync(rc, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (!e.IsNotFound)
        {
            ReplicationLog.StatusRetry(_logger, key, e);
        }

        var fresh = await _context.Client.GetAsync<ReplicationController>(rc.Metadata.Namespace, rc.Metadata.Name!, cancellationToken)
            .ConfigureAwait(false);
        fresh.Status = status;
        return await _context.Client.UpdateStatusAsync(fresh, cancellationToken).ConfigureAwait(false);
    }
}
