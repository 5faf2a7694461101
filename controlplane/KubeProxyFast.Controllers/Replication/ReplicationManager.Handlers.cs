using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Informers;

namespace KubeProxyFast.Controllers.Replication;

// The informer handlers (Kubernetes' addRS/updateRS/deleteRS, addPod/updatePod/deletePod): they
// lower expectations and queue the controllers concerned; all work happens in the sync.
public sealed partial class ReplicationManager
{
    private void AddRc(ReplicationController rc) => _queue.Add(PodStates.Key(rc));

    private void UpdateRc(ReplicationController old, ReplicationController now)
    {
        if (old.Metadata.Uid != now.Metadata.Uid)
        {
            // Deleted and created again under the name between two events: the old one's expectations go.
            DeleteRc(old);
        }

        // Every update, not only a change of replicas: a resync must retry a controller whose
        // creates failed, and a sync is cheap when nothing needs doing.
        _queue.Add(PodStates.Key(now));
    }

    private void DeleteRc(ReplicationController rc)
    {
        var key = PodStates.Key(rc);
        _expectations.Delete(key);
        _queue.Add(key);
    }

    private void AddPod(Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            // Seen for the first time already being deleted (after a relist): a deletion, not a creation.
            DeletePod(pod);
            return;
        }

        if (PodStates.ControllerOf(pod) is { } owner)
        {
            if (ResolveControllerRef(pod.Metadata.Namespace, owner) is { } rc)
            {
                var key = PodStates.Key(rc);
                _expectations.CreationObserved(key);
                _queue.Add(key);
            }

            return;
        }

        // An orphan: whoever matches may adopt it. Not a creation anyone waits for.
        foreach (var rc in ControllersMatching(pod))
        {
            _queue.Add(PodStates.Key(rc));
        }
    }

    private void UpdatePod(Pod old, Pod now)
    {
        if (old.Metadata.ResourceVersion == now.Metadata.ResourceVersion)
        {
            // A resync: nothing changed.
            return;
        }

        var labelsChanged = !SameLabels(old.Metadata.Labels, now.Metadata.Labels);
        if (now.Metadata.DeletionTimestamp is not null)
        {
            // A graceful delete marks the pod first; the controller replaces it now rather than
            // when the kubelet removes it, so that is when the deletion counts.
            DeletePod(now);
            if (labelsChanged)
            {
                DeletePod(old);
            }

            return;
        }

        var nowOwner = PodStates.ControllerOf(now);
        var oldOwner = PodStates.ControllerOf(old);
        var ownerChanged = !SameOwner(oldOwner, nowOwner);
        if (ownerChanged && oldOwner is not null && ResolveControllerRef(old.Metadata.Namespace, oldOwner) is { } previous)
        {
            _queue.Add(PodStates.Key(previous));
        }

        if (nowOwner is not null)
        {
            if (ResolveControllerRef(now.Metadata.Namespace, nowOwner) is not { } rc)
            {
                return;
            }

            var key = PodStates.Key(rc);
            _queue.Add(key);
            if (rc.Spec?.MinReadySeconds is > 0 and var minReady && !PodStates.IsReady(old) && PodStates.IsReady(now))
            {
                // The pod becomes available minReadySeconds from now and no event will say so;
                // the extra second keeps the sync from landing just before (Kubernetes #39785).
                _queue.AddAfter(key, TimeSpan.FromSeconds(minReady + 1));
            }

            return;
        }

        if (labelsChanged || ownerChanged)
        {
            foreach (var rc in ControllersMatching(now))
            {
                _queue.Add(PodStates.Key(rc));
            }
        }
    }

    private void DeletePod(Pod pod)
    {
        if (PodStates.ControllerOf(pod) is not { } owner || ResolveControllerRef(pod.Metadata.Namespace, owner) is not { } rc)
        {
            return;
        }

        var key = PodStates.Key(rc);
        _expectations.DeletionObserved(key, PodStates.Key(pod));
        _queue.Add(key);
    }

    /// <summary>The cached controller a pod's controller reference names, when it is one of ours with that uid.</summary>
    private ReplicationController? ResolveControllerRef(string? ns, Api.Meta.OwnerReference owner)
    {
        if (owner.Kind != ControllerKind || string.IsNullOrEmpty(owner.Name))
        {
            return null;
        }

        var rc = _rcs.Lister.Get(ns, owner.Name);
        return rc is not null && rc.Metadata.Uid == owner.Uid ? rc : null;
    }

    /// <summary>The controllers of the pod's namespace whose selector matches its labels.</summary>
    private List<ReplicationController> ControllersMatching(Pod pod)
    {
        var matching = new List<ReplicationController>();
        if (pod.Metadata.Labels is not { Count: > 0 })
        {
            return matching;
        }

        foreach (var rc in _rcs.Lister.ByIndex(IndexNames.Namespace, pod.Metadata.Namespace ?? ""))
        {
            if (PodStates.Matches(rc.Spec?.Selector, pod.Metadata.Labels))
            {
                matching.Add(rc);
            }
        }

        if (matching.Count > 1)
        {
            ReplicationLog.SeveralControllersMatch(_logger, PodStates.Key(pod), matching.Count);
        }

        return matching;
    }

    private static bool SameLabels(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && PodStates.IsSubset(a, b);

    private static bool SameOwner(Api.Meta.OwnerReference? a, Api.Meta.OwnerReference? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Uid == b.Uid && a.Kind == b.Kind && a.Name == b.Name && a.ApiVersion == b.ApiVersion
              && a.Controller == b.Controller && a.BlockOwnerDeletion == b.BlockOwnerDeletion;
}
