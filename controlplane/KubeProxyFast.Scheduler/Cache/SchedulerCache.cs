using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Scheduler.Cache;

/// <summary>
/// Kubernetes' scheduler cache: nodes with the pods counted on them, where a pod is either bound
/// (seen bound through the watch) or assumed (chosen by this scheduler, its binding not yet seen).
/// Assuming lets the next pod be scheduled at once against the resources already promised; a
/// binding that fails forgets the pod, and an assumed pod never seen bound expires.
/// Every member takes <see cref="Gate"/>; the scheduling cycle holds it across filter, score and assume.
/// </summary>
internal sealed class SchedulerCache
{
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly List<NodeInfo> _nodeList = [];
    private readonly Dictionary<string, PodState> _pods = new(StringComparer.Ordinal);

    /// <summary>The lock of every read and change (reentrant).</summary>
    public Lock Gate { get; } = new();

    /// <summary>The nodes, in a stable order (removal moves the last one into the hole); read under <see cref="Gate"/>.</summary>
    public List<NodeInfo> Nodes => _nodeList;

    /// <summary>Adds or updates a node; a new node also counts the pods already bound to it.</summary>
    public void SetNode(Node node)
    {
        var name = node.Metadata.Name ?? "";
        lock (Gate)
        {
            if (!_nodes.TryGetValue(name, out var info))
            {
                info = new NodeInfo(name) { Index = _nodeList.Count };
                _nodes.Add(name, info);
                _nodeList.Add(info);
                foreach (var state in _pods.Values)
                {
                    if (state.NodeName == name)
                    {
                        info.AddPod(state.Info);
                    }
                }
            }

            info.SetNode(node);
        }
    }

    /// <summary>Removes a node (its pods stay known, counted again should it come back).</summary>
    public void RemoveNode(string name)
    {
        lock (Gate)
        {
            if (!_nodes.Remove(name, out var info))
            {
                return;
            }

            var last = _nodeList[^1];
            _nodeList[info.Index] = last;
            last.Index = info.Index;
            _nodeList.RemoveAt(_nodeList.Count - 1);
        }
    }

    /// <summary>The node called <paramref name="name"/>, or null.</summary>
    public NodeInfo? GetNode(string name)
    {
        lock (Gate)
        {
            return _nodes.GetValueOrDefault(name);
        }
    }

    /// <summary>Counts <paramref name="pod"/> on <paramref name="nodeName"/> before its binding is written; <paramref name="attempt"/> names this assumption.</summary>
    public void AssumePod(PodInfo pod, string nodeName, long attempt)
    {
        lock (Gate)
        {
            RemoveLocked(pod.Key);
            _pods[pod.Key] = new PodState(pod, nodeName) { Assumed = true, Attempt = attempt };
            _nodes.GetValueOrDefault(nodeName)?.AddPod(pod);
        }
    }

    /// <summary>The binding of an assumed pod succeeded: it expires at <paramref name="deadline"/> unless seen bound first (never when null).</summary>
    public void FinishBinding(string key, DateTimeOffset? deadline)
    {
        lock (Gate)
        {
            if (_pods.TryGetValue(key, out var state) && state.Assumed)
            {
                state.Deadline = deadline;
            }
        }
    }

    /// <summary>
    /// The binding of an assumed pod failed: its resources are free again, if the assumption is
    /// still the one of <paramref name="attempt"/> (not replaced by a later attempt or a bound pod).
    /// </summary>
    public void ForgetPod(string key, long attempt)
    {
        lock (Gate)
        {
            if (_pods.TryGetValue(key, out var state) && state.Assumed && state.Attempt == attempt)
            {
                RemoveLocked(key);
            }
        }
    }

    /// <summary>Whether the pod of <paramref name="key"/> is assumed and not yet seen bound.</summary>
    public bool IsAssumed(string key)
    {
        lock (Gate)
        {
            return _pods.TryGetValue(key, out var state) && state.Assumed;
        }
    }

    /// <summary>A bound pod was added or changed (an assumed one is thereby confirmed).</summary>
    public void SetBoundPod(PodInfo pod)
    {
        lock (Gate)
        {
            RemoveLocked(pod.Key);
            _pods[pod.Key] = new PodState(pod, pod.NodeName!);
            _nodes.GetValueOrDefault(pod.NodeName!)?.AddPod(pod);
        }
    }

    /// <summary>A pod is gone (deleted, or finished): it no longer counts anywhere.</summary>
    public void RemovePod(string key)
    {
        lock (Gate)
        {
            RemoveLocked(key);
        }
    }

    /// <summary>Forgets assumed pods whose binding finished before <paramref name="now"/> minus their time to live; returns how many.</summary>
    public int CleanupExpired(DateTimeOffset now)
    {
        lock (Gate)
        {
            List<string>? expired = null;
            foreach (var (key, state) in _pods)
            {
                if (state.Assumed && state.Deadline is { } deadline && deadline <= now)
                {
                    (expired ??= []).Add(key);
                }
            }

            foreach (var key in expired ?? [])
            {
                RemoveLocked(key);
            }

            return expired?.Count ?? 0;
        }
    }

    private void RemoveLocked(string key)
    {
        if (_pods.Remove(key, out var old))
        {
            _nodes.GetValueOrDefault(old.NodeName)?.RemovePod(key);
        }
    }

    private sealed class PodState(PodInfo info, string nodeName)
    {
        public PodInfo Info { get; } = info;

        public string NodeName { get; } = nodeName;

        public bool Assumed { get; init; }

        public long Attempt { get; init; }

        public DateTimeOffset? Deadline { get; set; }
    }
}
