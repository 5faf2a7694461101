using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.Replication;

/// <summary>
/// Decides which pods a replication controller owns in one sync, as Kubernetes'
/// <c>PodControllerRefManager.ClaimPods</c>: pods it controls whose labels still match are its own;
/// pods it controls whose labels no longer match are released (their reference removed); orphans
/// that match and are not being deleted are adopted — unless the controller is being deleted, and
/// only once a fresh GET (not the cache) shows it is not being deleted and still has the uid the
/// sync started with. Pods controlled by anyone else are never touched.
/// </summary>
internal sealed class PodClaimer
{
    private readonly ReplicationController _rc;
    private readonly PodControl _podControl;
    private readonly Func<CancellationToken, Task<ReplicationController>> _getFresh;
    private Task<Exception?>? _canAdopt;

    public PodClaimer(ReplicationController rc, PodControl podControl, Func<CancellationToken, Task<ReplicationController>> getFresh)
    {
        _rc = rc;
        _podControl = podControl;
        _getFresh = getFresh;
    }

    /// <summary>
    /// The pods the controller owns after adopting and releasing; the first failure (after every
    /// pod was tried) is thrown, so the sync is retried, as Kubernetes aggregates them.
    /// </summary>
    public async Task<List<Pod>> ClaimAsync(IReadOnlyList<Pod> pods, CancellationToken cancellationToken)
    {
        var claimed = new List<Pod>(pods.Count);
        List<Exception>? errors = null;
        var uid = _rc.Metadata.Uid;
        var deleting = _rc.Metadata.DeletionTimestamp is not null;
        foreach (var pod in pods)
        {
            var controller = PodStates.ControllerOf(pod);
            var matches = PodStates.Matches(_rc.Spec?.Selector, pod.Metadata.Labels);
            try
            {
                if (controller is not null)
                {
                    if (controller.Uid != uid)
                    {
                        continue;
                    }

                    if (matches)
                    {
                        claimed.Add(pod);
                    }
                    else if (!deleting)
                    {
                        await ReleaseAsync(pod, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                if (deleting || !matches || pod.Metadata.DeletionTimestamp is not null)
                {
                    continue;
                }

                if (await AdoptAsync(pod, cancellationToken).ConfigureAwait(false))
                {
                    claimed.Add(pod);
                }
            }
            catch (Exception e) when (e is KubeApiException or KubeConnectionException or InvalidOperationException)
            {
                (errors ??= []).Add(e);
            }
        }

        if (errors is not null)
        {
            throw errors.Count == 1 ? errors[0] : new AggregateException(errors);
        }

        return claimed;
    }

    /// <summary>True when adopted; false when the pod is gone. Throws when the controller may not adopt or the patch failed.</summary>
    private async Task<bool> AdoptAsync(Pod pod, CancellationToken cancellationToken)
    {
        // Checked once per sync and only if an adoption is tried (Kubernetes' RecheckDeletionTimestamp).
        _canAdopt ??= CheckCanAdoptAsync(cancellationToken);
        if (await _canAdopt.ConfigureAwait(false) is { } refused)
        {
            throw new InvalidOperationException(
                $"can't adopt Pod {pod.Metadata.Namespace}/{pod.Metadata.Name} ({pod.Metadata.Uid}): {refused.Message}", refused);
        }

        try
        {
            await _podControl.AdoptAsync(_rc, pod, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    private async Task ReleaseAsync(Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await _podControl.ReleaseAsync(_rc, pod, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsInvalid)
        {
            // Gone, or (invalid) it has no such reference or is another pod by now: nothing to release.
        }
    }

    private async Task<Exception?> CheckCanAdoptAsync(CancellationToken cancellationToken)
    {
        ReplicationController fresh;
        try
        {
            fresh = await _getFresh(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException)
        {
            return new InvalidOperationException("can't recheck DeletionTimestamp: " + PodControl.MessageOf(e), e);
        }

        if (fresh.Metadata.Uid != _rc.Metadata.Uid)
        {
            return new InvalidOperationException(
                $"original ReplicationController {_rc.Metadata.Namespace}/{_rc.Metadata.Name} is gone: got uid {fresh.Metadata.Uid}, wanted {_rc.Metadata.Uid}");
        }

        if (fresh.Metadata.DeletionTimestamp is { } deleted)
        {
            return new InvalidOperationException($"{fresh.Metadata.Namespace}/{fresh.Metadata.Name} has just been deleted at {deleted:O}");
        }

        return null;
    }
}
