using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Scheduler.Cache;

/// <summary>
/// One node as the filters and scores read it: allocatable and requested resources as integers,
/// taints, labels, readiness, host ports in use and the pods on it (bound and assumed), kept up to
/// date incrementally as pods are added and removed. Mutated only under the cache's lock.
/// </summary>
internal sealed class NodeInfo
{
    private static readonly Dictionary<string, string> NoLabels = [];

    /// <summary>A node called <paramref name="name"/> with no pods yet.</summary>
    public NodeInfo(string name) => Name = name;

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>Its labels (never null).</summary>
    public Dictionary<string, string> Labels { get; private set; } = NoLabels;

    /// <summary>Its taints.</summary>
    public TaintInfo[] Taints { get; private set; } = [];

    /// <summary><c>spec.unschedulable</c>.</summary>
    public bool Unschedulable { get; private set; }

    /// <summary>Whether its <c>Ready</c> condition is <c>True</c>.</summary>
    public bool Ready { get; private set; }

    /// <summary>Allocatable CPU in millicores, memory and ephemeral storage in bytes, and pod count.</summary>
    public long AllocatableMilliCpu { get; private set; }

    /// <inheritdoc cref="AllocatableMilliCpu"/>
    public long AllocatableMemory { get; private set; }

    /// <inheritdoc cref="AllocatableMilliCpu"/>
    public long AllocatableEphemeralStorage { get; private set; }

    /// <inheritdoc cref="AllocatableMilliCpu"/>
    public long AllocatablePods { get; private set; }

    /// <summary>Sum of the requests of its pods.</summary>
    public long RequestedMilliCpu { get; private set; }

    /// <inheritdoc cref="RequestedMilliCpu"/>
    public long RequestedMemory { get; private set; }

    /// <inheritdoc cref="RequestedMilliCpu"/>
    public long RequestedEphemeralStorage { get; private set; }

    /// <summary>Sum of its pods' requests with the defaults for missing ones (what scoring counts).</summary>
    public long NonZeroRequestedMilliCpu { get; private set; }

    /// <inheritdoc cref="NonZeroRequestedMilliCpu"/>
    public long NonZeroRequestedMemory { get; private set; }

    /// <summary>Its pods, bound and assumed.</summary>
    public List<PodInfo> Pods { get; } = [];

    /// <summary>Host ports its pods use.</summary>
    public List<HostPort> UsedPorts { get; } = [];

    /// <summary>Its position in the cache's node list.</summary>
    public int Index { get; set; }

    /// <summary>Takes the scheduling-relevant parts of <paramref name="node"/>.</summary>
    public void SetNode(Node node)
    {
        Labels = node.Metadata.Labels ?? NoLabels;
        Taints = [.. (node.Spec?.Taints ?? []).Select(t => new TaintInfo(t.Key, t.Value ?? "", t.Effect))];
        Unschedulable = node.Spec?.Unschedulable == true;
        Ready = node.Status?.Conditions?.Exists(c => c.Type == "Ready" && c.Status == "True") == true;
        var allocatable = node.Status?.Allocatable;
        AllocatableMilliCpu = Amount(allocatable, "cpu", milli: true);
        AllocatableMemory = Amount(allocatable, "memory", milli: false);
        AllocatableEphemeralStorage = Amount(allocatable, "ephemeral-storage", milli: false);
        AllocatablePods = Amount(allocatable, "pods", milli: false);
    }

    /// <summary>Counts <paramref name="pod"/> on this node.</summary>
    public void AddPod(PodInfo pod)
    {
        Pods.Add(pod);
        UsedPorts.AddRange(pod.HostPorts);
        Account(pod, 1);
    }

    /// <summary>Stops counting the pod of <paramref name="key"/>; false when it was not here.</summary>
    public bool RemovePod(string key)
    {
        for (var i = 0; i < Pods.Count; i++)
        {
            if (Pods[i].Key != key)
            {
                continue;
            }

            var pod = Pods[i];
            Pods[i] = Pods[^1];
            Pods.RemoveAt(Pods.Count - 1);
            foreach (var port in pod.HostPorts)
            {
                UsedPorts.Remove(port);
            }

            Account(pod, -1);
            return true;
        }

        return false;
    }

    private void Account(PodInfo pod, int sign)
    {
        RequestedMilliCpu += sign * pod.MilliCpu;
        RequestedMemory += sign * pod.Memory;
        RequestedEphemeralStorage += sign * pod.EphemeralStorage;
        NonZeroRequestedMilliCpu += sign * pod.NonZeroMilliCpu;
        NonZeroRequestedMemory += sign * pod.NonZeroMemory;
    }

    private static long Amount(Dictionary<string, Api.Resources.Quantity>? resources, string name, bool milli) =>
        resources is not null && resources.TryGetValue(name, out var quantity) ? (milli ? quantity.MilliValue : quantity.Value) : 0;
}
