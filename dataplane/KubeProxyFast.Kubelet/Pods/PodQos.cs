using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// A pod's QoS class as Kubernetes computes it from its containers' cpu and memory requests and
/// limits, and the cgroup (cgroupfs driver) its sandbox and containers are put under.
/// </summary>
public static class PodQos
{
    /// <summary>Every container has cpu and memory limits, and requests (when given) equal to them.</summary>
    public const string Guaranteed = "Guaranteed";

    /// <summary>Some request or limit, but not Guaranteed.</summary>
    public const string Burstable = "Burstable";

    /// <summary>No cpu or memory request or limit at all.</summary>
    public const string BestEffort = "BestEffort";

    private static readonly string[] Resources = ["cpu", "memory"];

    /// <summary>The pod's QoS class.</summary>
    public static string ClassOf(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var any = false;
        var guaranteed = true;
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var requests = container.Resources?.Requests;
            var limits = container.Resources?.Limits;
            foreach (var resource in Resources)
            {
                var hasRequest = requests?.ContainsKey(resource) == true;
                var hasLimit = limits?.TryGetValue(resource, out var limit) == true;
                any |= hasRequest || hasLimit;
                if (!hasLimit)
                {
                    guaranteed = false;
                }
                else if (hasRequest && requests![resource] != limits![resource])
                {
                    guaranteed = false;
                }
            }
        }

        return !any ? BestEffort : guaranteed ? Guaranteed : Burstable;
    }

    /// <summary>
    /// The pod's cgroup under <paramref name="cgroupRoot"/>: <c>/kubepods/pod&lt;uid&gt;</c> (Guaranteed),
    /// <c>/kubepods/burstable/pod&lt;uid&gt;</c>, <c>/kubepods/besteffort/pod&lt;uid&gt;</c>.
    /// </summary>
    public static string CgroupParent(Pod pod, string cgroupRoot)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(cgroupRoot);
        var root = cgroupRoot.TrimEnd('/');
        var leaf = "pod" + pod.Metadata.Uid;
        return ClassOf(pod) switch
        {
            Guaranteed => $"{root}/{leaf}",
            Burstable => $"{root}/burstable/{leaf}",
            _ => $"{root}/besteffort/{leaf}",
        };
    }
}
