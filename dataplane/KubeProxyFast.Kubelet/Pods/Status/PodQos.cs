using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Kubelet.Pods.Status;

/// <summary>
/// The pod's QoS class as Kubernetes' <c>GetPodQOS</c> computes it from cpu and memory: no request
/// or limit anywhere → BestEffort; every container limiting both, with requests equal to limits →
/// Guaranteed; else Burstable. A limit without a request counts as a request of the same amount,
/// the default the API gives it.
/// </summary>
public static class PodQos
{
    /// <summary><c>Guaranteed</c>.</summary>
    public const string Guaranteed = "Guaranteed";

    /// <summary><c>Burstable</c>.</summary>
    public const string Burstable = "Burstable";

    /// <summary><c>BestEffort</c>.</summary>
    public const string BestEffort = "BestEffort";

    private static readonly string[] Compute = ["cpu", "memory"];

    /// <summary>The QoS class of a pod with <paramref name="spec"/>.</summary>
    public static string Of(PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var requests = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var container in spec.Containers ?? [])
        {
            var containerLimits = 0;
            foreach (var name in Compute)
            {
                Quantity? limit = container.Resources?.Limits is { } l && l.TryGetValue(name, out var lv) && !lv.IsZero ? lv : null;
                Quantity? request = container.Resources?.Requests is { } r && r.TryGetValue(name, out var rv) ? rv : limit;
                if (request is { IsZero: false } req)
                {
                    requests[name] = requests.TryGetValue(name, out var sum) ? sum.Add(req) : req;
                }

                if (limit is { } lim)
                {
                    containerLimits++;
                    limits[name] = limits.TryGetValue(name, out var sum) ? sum.Add(lim) : lim;
                }
            }

            if (containerLimits != Compute.Length)
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return BestEffort;
        }

        if (guaranteed && requests.Count == limits.Count &&
            requests.All(r => limits.TryGetValue(r.Key, out var limit) && Quantity.Compare(limit, r.Value) == 0))
        {
            return Guaranteed;
        }

        return Burstable;
    }
}
