using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;

namespace KubeProxyFast.Controllers.NodeLifecycle;

public sealed partial class NodeLifecycleController
{
    // How long a node whose pods could not be deleted waits in its queue before it is tried again.
    private static readonly TimeSpan EvictionRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Kubernetes' <c>processNoTaintBaseEviction</c>: a node Ready=False for the eviction timeout
    /// since it turned so, or Unknown for the timeout since its last heartbeat, has its pods
    /// evicted; a Ready node has any pending eviction cancelled.
    /// </summary>
    private async Task ProcessEvictionAsync(HealthResult result, CancellationToken cancellationToken)
    {
        var node = result.Node;
        var now = Now;
        switch (result.ObservedStatus)
        {
            case ConditionStatuses.False when now > result.Health.ReadyTransitionTimestamp + _options.PodEvictionTimeout:
                await EvictPodsAsync(node, result.Health.ReadyTransitionTimestamp, cancellationToken).ConfigureAwait(false);
                break;
            case ConditionStatuses.Unknown when now > result.Health.ProbeTimestamp + _options.PodEvictionTimeout:
                await EvictPodsAsync(node, result.Health.ProbeTimestamp, cancellationToken).ConfigureAwait(false);
                break;
            case ConditionStatuses.True:
                CancelPodEviction(node.Metadata.Name!, ZoneOf(node));
                break;
        }
    }

    /// <summary>Queues the node in its zone's eviction queue; a node already evicted has pods found on it since deleted at once.</summary>
    private async Task EvictPodsAsync(Node node, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var name = node.Metadata.Name!;
        lock (_lock)
        {
            if (_evictionStatus.GetValueOrDefault(name) != EvictionStatus.Evicted)
            {
                _evictionStatus[name] = EvictionStatus.ToBeEvicted;
                if (EvictorOf(ZoneOf(node)).Add(name, node.Metadata.Uid ?? "", Elapsed))
                {
                    NodeLifecycleLog.QueuedForEviction(_logger, name, since);
                }

                return;
            }
        }

        try
        {
            await DeletePodsAsync(node, PodsOf(node), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            NodeLifecycleLog.EvictionFailed(_logger, name, e);
        }
    }

    /// <summary>The pods bound to <paramref name="node"/>, from the informer's node index.</summary>
    private IReadOnlyList<Pod> PodsOf(Node node) => _pods.Lister.ByIndex(IndexNames.NodeName, node.Metadata.Name!);

    /// <summary>Takes the node out of its eviction queue (it is healthy again, or new).</summary>
    private void CancelPodEviction(string name, string zone)
    {
        lock (_lock)
        {
            if (_evictionStatus.ContainsKey(name))
            {
                _evictionStatus[name] = EvictionStatus.Unmarked;
            }

            if (_zonePodEvictors.TryGetValue(zone, out var evictor) && evictor.Remove(name))
            {
                NodeLifecycleLog.EvictionCancelled(_logger, name);
            }
        }
    }

    /// <summary>Kubernetes' <c>doEvictionPass</c>: takes from each zone's queue as its rate allows and deletes the pods of the nodes taken.</summary>
    private async Task EvictionPassAsync(CancellationToken cancellationToken)
    {
        RateLimitedTimedQueue[] evictors;
        lock (_lock)
        {
            evictors = [.. _zonePodEvictors.Values];
        }

        foreach (var evictor in evictors)
        {
            while (evictor.TryTake(Elapsed, out var entry))
            {
                var node = _nodes.Lister.Get(null, entry.Name);
                if (node is null || (node.Metadata.Uid ?? "") != entry.Uid)
                {
                    evictor.Complete(entry);
                    continue;
                }

                try
                {
                    var remaining = await DeletePodsAsync(node, PodsOf(node), cancellationToken).ConfigureAwait(false);
                    // Evicted whatever remains: a node with no pods (or only DaemonSet pods) must not be
                    // queued again at every monitor pass, spending its zone's eviction tokens.
                    lock (_lock)
                    {
                        if (_evictionStatus.ContainsKey(entry.Name))
                        {
                            _evictionStatus[entry.Name] = EvictionStatus.Evicted;
                        }
                    }

                    if (remaining)
                    {
                        NodeLifecycleLog.PodsAwaitingDeletion(_logger, entry.Name);
                    }

                    evictor.Complete(entry);
                }
                catch (Exception e) when (e is KubeApiException or KubeConnectionException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    NodeLifecycleLog.EvictionFailed(_logger, entry.Name, e);
                    evictor.Retry(entry, Elapsed + EvictionRetryDelay);
                }
            }
        }
    }

    /// <summary>
    /// Kubernetes' <c>DeletePods</c>: marks each pod of the node <c>NodeLost</c> and deletes it
    /// (DaemonSet pods stay: they belong to the node). True when pods remain (deleted now, or
    /// already terminating), so pods found on the node later are deleted at once.
    /// </summary>
    private async Task<bool> DeletePodsAsync(Node node, IReadOnlyList<Pod> pods, CancellationToken cancellationToken)
    {
        var name = node.Metadata.Name!;
        var remaining = false;
        if (pods.Count > 0)
        {
            _recorder.Event(node, "Normal", "DeletingAllPods", $"Deleting all Pods from Node {name}.");
        }

        foreach (var pod in pods)
        {
            if (pod.Spec?.NodeName != name)
            {
                continue;
            }

            if (pod.Metadata.DeletionTimestamp is not null)
            {
                remaining = true;
                continue;
            }

            if (pod.Metadata.OwnerReferences?.Exists(o => o.Kind == "DaemonSet" && o.Controller == true) == true)
            {
                continue;
            }

            try
            {
                await SetPodTerminationReasonAsync(pod, name, cancellationToken).ConfigureAwait(false);
                _recorder.Event(node, "Normal", "NodeControllerEviction", $"Marking for deletion Pod {pod.Metadata.Name} from Node {name}");
                await _context.Client.DeleteAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name!, cancellationToken: cancellationToken).ConfigureAwait(false);
                remaining = true;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
            }
        }

        return remaining;
    }

    /// <summary>Kubernetes' <c>SetPodTerminationReason</c>: the pod's status says why it goes.</summary>
    private async Task SetPodTerminationReasonAsync(Pod pod, string nodeName, CancellationToken cancellationToken)
    {
        var status = pod.Status ??= new PodStatus();
        if (status.Reason == "NodeLost")
        {
            return;
        }

        status.Reason = "NodeLost";
        status.Message = $"Node {nodeName} which was running pod {pod.Metadata.Name} is unresponsive";
        await _context.Client.UpdateStatusAsync(pod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Kubernetes' <c>MarkPodsNotReady</c>: each pod of the node whose Ready condition is not False
    /// gets Ready=False (and a <c>NodeNotReady</c> event), so it leaves Endpoints. False when a
    /// write failed (the others are still tried): the node is retried at the next pass.
    /// </summary>
    private async Task<bool> MarkPodsNotReadyAsync(string nodeName, IReadOnlyList<Pod> pods, CancellationToken cancellationToken)
    {
        var succeeded = true;
        foreach (var pod in pods)
        {
            var ready = pod.Status?.Conditions?.Find(c => c.Type == PodConditionTypes.Ready);
            if (pod.Spec?.NodeName != nodeName || ready is null || ready.Status == ConditionStatuses.False)
            {
                continue;
            }

            ready.Status = ConditionStatuses.False;
            ready.LastTransitionTime = Now;
            NodeLifecycleLog.MarkingPodNotReady(_logger, pod.Metadata.Namespace ?? "", pod.Metadata.Name ?? "", nodeName);
            try
            {
                await _context.Client.UpdateStatusAsync(pod, cancellationToken).ConfigureAwait(false);
                _recorder.Event(pod, "Warning", "NodeNotReady", "Node is not ready");
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
            }
            catch (Exception e) when (e is KubeApiException or KubeConnectionException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // A conflict (the pod changed meanwhile) or an unreachable apiserver: the next pass marks it.
                NodeLifecycleLog.MarkPodsFailed(_logger, nodeName, e);
                succeeded = false;
            }
        }

        return succeeded;
    }
}
