using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Security;

namespace KubeProxyFast.ApiServer.Authorization.Node;

/// <summary>
/// The Node authorizer's graph, as Kubernetes' <c>node.Graph</c> reduced to the edges our model
/// has: pod → node (<c>spec.nodeName</c>) and secret/configmap → node through the pods bound to it
/// that refer to them. Fed by the pods' <see cref="ResourceMirror"/> one change at a time; the
/// questions the authorizer asks are dictionary lookups under one short lock and allocate nothing.
/// </summary>
internal sealed class NodeGraph : IMirrorHandler
{
    private readonly Lock _gate = new();

    /// <summary>Every bound pod: its node and what it refers to (kept to undo its edges when it changes).</summary>
    private readonly Dictionary<PodKey, PodEdges> _pods = [];

    /// <summary>Each referenced object: the nodes whose pods refer to it, with how many pods each.</summary>
    private readonly Dictionary<ObjectReference, Dictionary<string, int>> _referenced = [];

    /// <summary>True when pod <paramref name="ns"/>/<paramref name="name"/> exists and is bound to <paramref name="node"/>.</summary>
    public bool PodOnNode(string ns, string name, string node)
    {
        lock (_gate)
        {
            return _pods.TryGetValue(new PodKey(ns, name), out var edges) && edges.Node == node;
        }
    }

    /// <summary>True when a pod bound to <paramref name="node"/> refers to the object.</summary>
    public bool IsReferenced(ReferencedKind kind, string ns, string name, string node)
    {
        lock (_gate)
        {
            return _referenced.TryGetValue(new ObjectReference(kind, ns, name), out var nodes) && nodes.ContainsKey(node);
        }
    }

    /// <inheritdoc/>
    public void Reset(IReadOnlyCollection<KubeObject> all)
    {
        lock (_gate)
        {
            _pods.Clear();
            _referenced.Clear();
            foreach (var obj in all)
            {
                AddLocked((Pod)obj);
            }
        }
    }

    /// <inheritdoc/>
    public void Changed(KubeObject? old, KubeObject? current)
    {
        var pod = (Pod)(current ?? old)!;
        var key = new PodKey(pod.Metadata.Namespace ?? "", pod.Metadata.Name ?? "");
        lock (_gate)
        {
            // What was recorded for the pod is undone, not what "old" says: the two agree, but the record is what the counts came from.
            RemoveLocked(key);
            if (current is not null)
            {
                AddLocked((Pod)current);
            }
        }
    }

    private void AddLocked(Pod pod)
    {
        // An unbound pod gives no node anything: it gains edges when the scheduler binds it (an update).
        if (pod.Spec?.NodeName is not { Length: > 0 } node)
        {
            return;
        }

        var edges = new PodEdges(node, PodReferences.Of(pod));
        _pods[new PodKey(pod.Metadata.Namespace ?? "", pod.Metadata.Name ?? "")] = edges;
        foreach (var reference in edges.References)
        {
            if (!_referenced.TryGetValue(reference, out var nodes))
            {
                nodes = new Dictionary<string, int>(1, StringComparer.Ordinal);
                _referenced[reference] = nodes;
            }

            nodes[node] = nodes.GetValueOrDefault(node) + 1;
        }
    }

    private void RemoveLocked(PodKey key)
    {
        if (!_pods.Remove(key, out var edges))
        {
            return;
        }

        foreach (var reference in edges.References)
        {
            if (!_referenced.TryGetValue(reference, out var nodes))
            {
                continue;
            }

            var left = nodes.GetValueOrDefault(edges.Node) - 1;
            if (left > 0)
            {
                nodes[edges.Node] = left;
                continue;
            }

            nodes.Remove(edges.Node);
            if (nodes.Count == 0)
            {
                _referenced.Remove(reference);
            }
        }
    }

    private readonly record struct PodKey(string Namespace, string Name);

    private sealed record PodEdges(string Node, ObjectReference[] References);
}
