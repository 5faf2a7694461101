using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Scheduler.Cache;

namespace KubeProxyFast.Scheduler;

/// <summary>The informer handlers: bound pods and nodes feed the cache, unbound pods of ours the queue, Services and RCs the spreading selectors.</summary>
public sealed partial class Scheduler
{
    private void AddHandlers()
    {
        _registrations.Add(_pods.AddEventHandler(new ResourceHandler<Pod>
        {
            OnAdd = OnPod,
            OnUpdate = (old, pod) =>
            {
                if (string.IsNullOrEmpty(pod.Spec?.NodeName) && !SchedulingInputsChanged(old, pod))
                {
                    // Kubernetes' isPodUpdated: a status or resourceVersion change of an unbound pod
                    // (our own condition patch, say) does not move it in the queue.
                    return;
                }

                OnPod(pod);
            },
            OnDelete = OnPodDeleted,
        }));
        _registrations.Add(_nodes.AddEventHandler(new ResourceHandler<Node>
        {
            OnAdd = node =>
            {
                _cache.SetNode(node);
                _queue.MoveAllToActiveOrBackoff();
            },
            OnUpdate = (old, node) =>
            {
                _cache.SetNode(node);
                if (SchedulingPropertiesChanged(old, node))
                {
                    _queue.MoveAllToActiveOrBackoff();
                }
            },
            OnDelete = node => _cache.RemoveNode(node.Metadata.Name ?? ""),
        }));
        _registrations.Add(_services.AddEventHandler(new ResourceHandler<Service>
        {
            OnAdd = s => _spread.Set("Service", s.Metadata.Namespace ?? "", s.Metadata.Name ?? "", s.Spec?.Selector),
            OnUpdate = (_, s) => _spread.Set("Service", s.Metadata.Namespace ?? "", s.Metadata.Name ?? "", s.Spec?.Selector),
            OnDelete = s => _spread.Remove("Service", s.Metadata.Namespace ?? "", s.Metadata.Name ?? ""),
        }));
        _registrations.Add(_controllers.AddEventHandler(new ResourceHandler<ReplicationController>
        {
            OnAdd = rc => _spread.Set("ReplicationController", rc.Metadata.Namespace ?? "", rc.Metadata.Name ?? "", rc.Spec?.Selector),
            OnUpdate = (_, rc) => _spread.Set("ReplicationController", rc.Metadata.Namespace ?? "", rc.Metadata.Name ?? "", rc.Spec?.Selector),
            OnDelete = rc => _spread.Remove("ReplicationController", rc.Metadata.Namespace ?? "", rc.Metadata.Name ?? ""),
        }));
    }

    private void OnPod(Pod pod)
    {
        var info = PodInfo.From(pod);
        if (info.NodeName is not null)
        {
            // Bound (by us or anyone): counted on its node until it ends; never queued again.
            _queue.Delete(info.Key);
            if (pod.Status?.Phase is PodPhases.Succeeded or PodPhases.Failed)
            {
                _cache.RemovePod(info.Key);
                _queue.MoveAllToActiveOrBackoff();
            }
            else
            {
                _cache.SetBoundPod(info);
            }

            return;
        }

        if (!IsOurs(pod))
        {
            return;
        }

        if (info.Terminating)
        {
            _queue.Delete(info.Key);
        }
        else if (!_cache.IsAssumed(info.Key))
        {
            // Kubernetes' updatePodInSchedulingQueue: an assumed pod (binding in flight or done,
            // not yet seen bound) is not queued again, or it would be scheduled twice.
            _queue.Update(info);
        }
    }

    private void OnPodDeleted(Pod pod)
    {
        var key = (pod.Metadata.Namespace ?? "") + "/" + (pod.Metadata.Name ?? "");
        _queue.Delete(key);
        var counted = !string.IsNullOrEmpty(pod.Spec?.NodeName) || _cache.IsAssumed(key);
        _cache.RemovePod(key);
        if (counted)
        {
            // Kubernetes' AssignedPodDelete: the freed resources may let unschedulable pods fit.
            _queue.MoveAllToActiveOrBackoff();
        }
    }

    /// <summary>Whether what scheduling reads of an unbound pod changed: its spec, labels, annotations or deletion.</summary>
    private static bool SchedulingInputsChanged(Pod old, Pod now) =>
        old.Metadata.DeletionTimestamp != now.Metadata.DeletionTimestamp
        || !SameMap(old.Metadata.Labels, now.Metadata.Labels)
        || !SameMap(old.Metadata.Annotations, now.Metadata.Annotations)
        || !KubeJson.SerializeToUtf8Bytes(old.Spec).AsSpan().SequenceEqual(KubeJson.SerializeToUtf8Bytes(now.Spec));

    private static bool SameMap(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a is null || a.All(e => b!.TryGetValue(e.Key, out var v) && v == e.Value));

    private bool IsOurs(Pod pod) =>
        string.IsNullOrEmpty(pod.Spec?.SchedulerName) || pod.Spec.SchedulerName == _options.SchedulerName;

    /// <summary>Kubernetes' node update events that can make a pod fit: allocatable, labels, taints, schedulability, readiness.</summary>
    private static bool SchedulingPropertiesChanged(Node old, Node now)
    {
        var before = new NodeInfo("");
        var after = new NodeInfo("");
        before.SetNode(old);
        after.SetNode(now);
        return before.Unschedulable != after.Unschedulable
            || before.Ready != after.Ready
            || before.AllocatableMilliCpu != after.AllocatableMilliCpu
            || before.AllocatableMemory != after.AllocatableMemory
            || before.AllocatableEphemeralStorage != after.AllocatableEphemeralStorage
            || before.AllocatablePods != after.AllocatablePods
            || !before.Taints.AsSpan().SequenceEqual(after.Taints)
            || before.Labels.Count != after.Labels.Count
            || before.Labels.Any(l => !after.Labels.TryGetValue(l.Key, out var v) || v != l.Value);
    }
}
