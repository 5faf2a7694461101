using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.Replication;

// Creating and deleting pods (Kubernetes' manageReplicas and slowStartBatch).
public sealed partial class ReplicationManager
{
    /// <summary>The first slow-start batch (Kubernetes' <c>SlowStartInitialBatchSize</c>).</summary>
    private const int SlowStartInitialBatchSize = 1;

    /// <summary>Creates or deletes pods so <paramref name="pods"/> (active, owned) counts spec.replicas; throws the first failure.</summary>
    private async Task ManageReplicasAsync(string key, ReplicationController rc, List<Pod> pods, CancellationToken cancellationToken)
    {
        var replicas = rc.Spec?.Replicas ?? 1;
        var diff = pods.Count - replicas;
        if (diff < 0)
        {
            _podControl.EnsureSelectorMatchesTemplate(rc);
            await CreatePodsAsync(key, rc, Math.Min(-diff, _options.BurstReplicas), cancellationToken).ConfigureAwait(false);
        }
        else if (diff > 0)
        {
            await DeletePodsAsync(key, rc, pods, Math.Min(diff, _options.BurstReplicas), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates <paramref name="count"/> pods in slow-start batches (1, 2, 4, … at once), stopping
    /// after the first batch with a failure: a quota or admission error then costs one or a few
    /// requests and events, not hundreds. Creates never attempted, and failed ones, are taken off
    /// the expectations; the next sync (retried with backoff) starts slow again.
    /// </summary>
    private async Task CreatePodsAsync(string key, ReplicationController rc, int count, CancellationToken cancellationToken)
    {
        _expectations.ExpectCreations(key, count);
        ReplicationLog.TooFew(_logger, key, rc.Spec?.Replicas ?? 1, count);
        var successes = 0;
        Exception? failure = null;
        try
        {
            var pod = PodControl.PodFromTemplate(rc);
            var remaining = count;
            for (var batch = Math.Min(remaining, SlowStartInitialBatchSize); batch > 0; batch = Math.Min(2 * batch, remaining))
            {
                var creates = new Task<Exception?>[batch];
                for (var i = 0; i < batch; i++)
                {
                    creates[i] = TryCreateAsync(rc, pod, cancellationToken);
                }

                var results = await Task.WhenAll(creates).ConfigureAwait(false);
                foreach (var result in results)
                {
                    if (result is null)
                    {
                        successes++;
                    }
                    else
                    {
                        failure ??= result;
                    }
                }

                if (failure is not null)
                {
                    break;
                }

                remaining -= batch;
            }
        }
        catch (InvalidOperationException e)
        {
            failure = e;
        }
        finally
        {
            if (count - successes is > 0 and var skipped)
            {
                ReplicationLog.SlowStartSkipped(_logger, key, skipped);
                _expectations.LowerCreations(key, skipped);
            }
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>One create: null when it succeeded, or was refused because the namespace is terminating (Kubernetes treats that as done); the failure otherwise.</summary>
    private async Task<Exception?> TryCreateAsync(ReplicationController rc, Pod pod, CancellationToken cancellationToken)
    {
        await _podWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _podControl.CreateAsync(rc, pod, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (KubeApiException e) when (PodControl.IsNamespaceTerminating(e))
        {
            return null;
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException)
        {
            return e;
        }
        finally
        {
            _podWrites.Release();
        }
    }

    /// <summary>
    /// Deletes the <paramref name="count"/> pods least worth keeping (<see cref="ActivePodOrder"/>),
    /// expecting exactly those to go; a failed delete is taken off the expectations.
    /// </summary>
    private async Task DeletePodsAsync(string key, ReplicationController rc, List<Pod> pods, int count, CancellationToken cancellationToken)
    {
        ReplicationLog.TooMany(_logger, key, rc.Spec?.Replicas ?? 1, count);
        if (count < pods.Count)
        {
            pods.Sort(ActivePodOrder.Instance);
        }

        var victims = pods.GetRange(0, count);
        var victimKeys = new string[count];
        for (var i = 0; i < count; i++)
        {
            victimKeys[i] = PodStates.Key(victims[i]);
        }

        _expectations.ExpectDeletions(key, victimKeys);
        var deletes = new Task<Exception?>[count];
        for (var i = 0; i < count; i++)
        {
            deletes[i] = TryDeleteAsync(key, rc, victims[i], cancellationToken);
        }

        foreach (var result in await Task.WhenAll(deletes).ConfigureAwait(false))
        {
            if (result is not null)
            {
                throw result;
            }
        }
    }

    private async Task<Exception?> TryDeleteAsync(string key, ReplicationController rc, Pod pod, CancellationToken cancellationToken)
    {
        await _podWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _podControl.DeleteAsync(rc, pod.Metadata.Name!, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException)
        {
            // The watch will not show this deletion: stop expecting it.
            _expectations.DeletionObserved(key, PodStates.Key(pod));
            return e is KubeApiException { IsNotFound: true } ? null : e;
        }
        finally
        {
            _podWrites.Release();
        }
    }
}
