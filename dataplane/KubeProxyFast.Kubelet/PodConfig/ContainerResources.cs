using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Kubelet.Cri.V1;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>Values of a pod's QoS class (<c>status.qosClass</c>).</summary>
public static class QosClasses
{
    /// <summary>Every container has cpu and memory limits equal to its requests.</summary>
    public const string Guaranteed = "Guaranteed";

    /// <summary>Some request or limit, not Guaranteed.</summary>
    public const string Burstable = "Burstable";

    /// <summary>No cpu or memory request or limit anywhere.</summary>
    public const string BestEffort = "BestEffort";
}

/// <summary>
/// A container's Linux resources from its requests and limits, as the kubelet's
/// <c>generateLinuxContainerResources</c>: cpu shares from the request (the limit when no request;
/// 1024 per cpu, at least 2), CFS quota from the limit over a 100 ms period (at least 1 ms; 0 = no
/// quota), the memory limit in bytes, and the OOM score adjustment of the pod's QoS class.
/// </summary>
public static class ContainerResources
{
    /// <summary>Kubernetes' CFS period, in microseconds (100 ms).</summary>
    public const long QuotaPeriod = 100_000;

    /// <summary>Kubernetes' smallest CFS quota, in microseconds (1 ms).</summary>
    public const long MinQuota = 1_000;

    /// <summary>Kubernetes' smallest cpu shares.</summary>
    public const long MinShares = 2;

    /// <summary>The kernel's largest cpu shares.</summary>
    public const long MaxShares = 262_144;

    /// <summary>Kubernetes' priority of <c>system-node-critical</c>: such pods get the Guaranteed OOM score.</summary>
    public const int SystemCriticalPriority = 2_000_001_000;

    private const int GuaranteedOomScoreAdj = -997;
    private const int BestEffortOomScoreAdj = 1000;

    /// <summary>
    /// The container's resources; <paramref name="memoryCapacityBytes"/> is the node's memory,
    /// which scales a Burstable container's OOM score by its memory request.
    /// </summary>
    public static LinuxContainerResources For(Pod pod, Container container, long memoryCapacityBytes)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var cpuRequest = Get(container.Resources?.Requests, "cpu");
        var cpuLimit = Get(container.Resources?.Limits, "cpu");
        var memoryLimit = Get(container.Resources?.Limits, "memory");

        // A request left out is the limit (the API server defaults it so; the kubelet repeats it).
        var shares = MilliCpuToShares((cpuRequest.IsZero && !cpuLimit.IsZero ? cpuLimit : cpuRequest).MilliValue);
        return new LinuxContainerResources
        {
            CpuShares = shares,
            CpuPeriod = QuotaPeriod,
            CpuQuota = MilliCpuToQuota(cpuLimit.MilliValue, QuotaPeriod),
            MemoryLimitInBytes = memoryLimit.IsZero ? 0 : memoryLimit.Value,
            OomScoreAdj = OomScoreAdjust(pod, container, memoryCapacityBytes),
        };
    }

    /// <summary>Kubernetes' <c>MilliCPUToShares</c>: 1024 shares per cpu, between 2 and 262144.</summary>
    public static long MilliCpuToShares(long milliCpu)
    {
        if (milliCpu == 0)
        {
            return MinShares;
        }

        return Math.Clamp(milliCpu * 1024 / 1000, MinShares, MaxShares);
    }

    /// <summary>Kubernetes' <c>milliCPUToQuota</c>: the limit's share of <paramref name="period"/>, at least 1 ms; 0 without a limit.</summary>
    public static long MilliCpuToQuota(long milliCpu, long period)
    {
        if (milliCpu == 0)
        {
            return 0;
        }

        return Math.Max(milliCpu * period / 1000, MinQuota);
    }

    /// <summary>
    /// Kubernetes' <c>GetContainerOOMScoreAdjust</c>: Guaranteed (and node-critical) −997, BestEffort
    /// 1000, Burstable <c>1000 − 1000 × memoryRequest / capacity</c> kept within 3…999.
    /// </summary>
    public static int OomScoreAdjust(Pod pod, Container container, long memoryCapacityBytes)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        if (pod.Spec?.Priority >= SystemCriticalPriority)
        {
            return GuaranteedOomScoreAdj;
        }

        switch (QosClass(pod))
        {
            case QosClasses.Guaranteed:
                return GuaranteedOomScoreAdj;
            case QosClasses.BestEffort:
                return BestEffortOomScoreAdj;
        }

        var memoryRequest = EffectiveRequest(container, "memory").Value;
        var adjust = memoryCapacityBytes <= 0 ? 1000 : 1000 - (1000 * memoryRequest / memoryCapacityBytes);

        // A Guaranteed pod using all memory scores about 3: a Burstable one must score higher, and lower than BestEffort.
        if (adjust < 1000 + GuaranteedOomScoreAdj)
        {
            return 1000 + GuaranteedOomScoreAdj;
        }

        return adjust == BestEffortOomScoreAdj ? (int)adjust - 1 : (int)adjust;
    }

    /// <summary>
    /// Kubernetes' <c>GetPodQOS</c> over cpu and memory: BestEffort with no positive request or
    /// limit; Guaranteed when every container limits both and the pod's requests equal its limits;
    /// else Burstable. A request left out counts as its limit, as the API server's defaulting makes it.
    /// </summary>
    public static string QosClass(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var requests = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var limitsFound = 0;
            foreach (var name in (string[])["cpu", "memory"])
            {
                var request = EffectiveRequest(container, name);
                if (request.Sign > 0)
                {
                    requests[name] = requests.TryGetValue(name, out var sum) ? sum.Add(request) : request;
                }

                var limit = Get(container.Resources?.Limits, name);
                if (limit.Sign > 0)
                {
                    limitsFound++;
                    limits[name] = limits.TryGetValue(name, out var sum) ? sum.Add(limit) : limit;
                }
            }

            if (limitsFound < 2)
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return QosClasses.BestEffort;
        }

        if (guaranteed && requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit.CompareTo(r.Value) == 0) && requests.Count == limits.Count)
        {
            return QosClasses.Guaranteed;
        }

        return QosClasses.Burstable;
    }

    private static Quantity EffectiveRequest(Container container, string name)
    {
        var requests = container.Resources?.Requests;
        if (requests is not null && requests.TryGetValue(name, out var request))
        {
            return request;
        }

        return Get(container.Resources?.Limits, name);
    }

    private static Quantity Get(Dictionary<string, Quantity>? list, string name) =>
        list is not null && list.TryGetValue(name, out var value) ? value : default;
}
