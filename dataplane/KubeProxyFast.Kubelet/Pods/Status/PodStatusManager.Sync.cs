using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Pods.Status;

public sealed partial class PodStatusManager
{
    // Conflicts in a row before the write goes back on the queue with a delay.
    private const int ConflictRetries = 5;

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (uid, shuttingDown) = await _queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (shuttingDown)
            {
                return;
            }

            try
            {
                await SyncAsync(uid, cancellationToken).ConfigureAwait(false);
                _queue.Forget(uid);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed write of one pod must not stop the writers: it is retried with back-off
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.SyncFailed(_logger, uid, e);
                _queue.AddRateLimited(uid);
            }
            finally
            {
                _queue.Done(uid);
            }
        }
    }

    /// <summary>Writes the pod's newest status if it is not the last written, then completes its deletion if owed.</summary>
    private async Task SyncAsync(string uid, CancellationToken cancellationToken)
    {
        Pod pod;
        PodStatus status;
        string json;
        string? resourceVersion;
        bool write;
        bool terminated;
        lock (_lock)
        {
            if (!_pods.TryGetValue(uid, out var entry) || entry.Finished || entry.Status is null)
            {
                return;
            }

            pod = entry.Pod;
            status = entry.Status;
            json = entry.Json!;
            resourceVersion = entry.ResourceVersion ?? pod.Metadata.ResourceVersion;
            write = json != entry.Written;
            terminated = entry.Terminated;
        }

        Pod? current = null;
        if (write)
        {
            current = await WriteAsync(uid, pod, status, json, resourceVersion, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                Finish(uid);
                return;
            }

            lock (_lock)
            {
                if (_pods.TryGetValue(uid, out var entry))
                {
                    entry.Written = json;
                    entry.ResourceVersion = current.Metadata.ResourceVersion;
                }
            }
        }

        if (terminated)
        {
            await CompleteDeletionAsync(uid, pod, current, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// PUTs <paramref name="status"/> on <c>pods/status</c> at <paramref name="resourceVersion"/>,
    /// re-reading the pod on a conflict. Returns the pod as stored after the write, or null when it
    /// is gone or is another pod of the same name now (never written then).
    /// </summary>
    private async Task<Pod?> WriteAsync(string uid, Pod pod, PodStatus status, string json, string? resourceVersion, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.Namespace;
        var name = pod.Metadata.Name ?? "";
        var basis = pod;
        for (var attempt = 0; ; attempt++)
        {
            if (string.IsNullOrEmpty(resourceVersion))
            {
                // Without a resourceVersion the write would be unconditional: read what is there first.
                basis = await GetSamePodAsync(uid, ns, name, cancellationToken).ConfigureAwait(false);
                if (basis is null)
                {
                    return null;
                }

                if (basis.Status is { } stored && StatusCopy.Json(stored) == json)
                {
                    return basis;
                }

                resourceVersion = basis.Metadata.ResourceVersion;
            }

            var update = new Pod
            {
                Kind = "Pod",
                ApiVersion = "v1",
                Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = uid, ResourceVersion = resourceVersion },
                Spec = basis.Spec,
                Status = status,
            };
            try
            {
                var written = await _client.UpdateStatusAsync(update, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _statusWrites);
                return written;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                Log.PodGone(_logger, ns, name, uid);
                return null;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < ConflictRetries)
            {
                Interlocked.Increment(ref _conflicts);
                resourceVersion = null;
            }
        }
    }

    /// <summary>
    /// Kubernetes' status manager deletes a pod once it cannot have running containers and carries a
    /// deletionTimestamp: grace 0 ends the graceful deletion, the UID precondition spares a namesake.
    /// </summary>
    private async Task CompleteDeletionAsync(string uid, Pod pod, Pod? current, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.Namespace;
        var name = pod.Metadata.Name ?? "";
        current ??= await GetSamePodAsync(uid, ns, name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            Finish(uid);
            return;
        }

        if (current.Metadata.DeletionTimestamp is null)
        {
            // Finished without being deleted (a completed pod): its final status is all that is owed.
            return;
        }

        try
        {
            var options = new DeleteOptions { GracePeriodSeconds = 0, Preconditions = new Preconditions { Uid = uid } };
            await _client.DeleteAsync<Pod>(ns, name, options, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _deletions);
            Log.PodDeleted(_logger, ns, name, uid);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Gone already, or the name is another pod's now: nothing of ours is left.
            Log.PodGone(_logger, ns, name, uid);
        }

        Finish(uid);
    }

    /// <summary>GETs the pod; null when it is gone or has another UID (a new pod of the same name).</summary>
    private async Task<Pod?> GetSamePodAsync(string uid, string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var pod = await _client.GetAsync<Pod>(ns, name, cancellationToken).ConfigureAwait(false);
            if (pod.Metadata.Uid == uid)
            {
                return pod;
            }

            Log.PodReplaced(_logger, ns, name, uid, pod.Metadata.Uid);
            return null;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            Log.PodGone(_logger, ns, name, uid);
            return null;
        }
    }

    /// <summary>Marks the pod done for: statuses set for its UID from now on are not written.</summary>
    private void Finish(string uid)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(uid, out var entry))
            {
                entry.Finished = true;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Writing the status of pod {Uid} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, string uid, Exception exception);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Name} ({Uid}) is gone; its status is dropped")]
        public static partial void PodGone(ILogger logger, string? @namespace, string name, string uid);

        [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Name} is now {NewUid}, not {Uid}; the old pod's status is dropped")]
        public static partial void PodReplaced(ILogger logger, string? @namespace, string name, string uid, string? newUid);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Pod {Namespace}/{Name} ({Uid}) stopped; its deletion is complete")]
        public static partial void PodDeleted(ILogger logger, string? @namespace, string name, string uid);
    }
}
