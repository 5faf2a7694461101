using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// Kubernetes' limit of 1,000 addresses per Endpoints (larger services are served by
/// EndpointSlices): beyond it the controller keeps 1,000, ready ones first, spread over the
/// subsets in proportion to their size, and marks the object <c>endpoints.kubernetes.io/over-capacity: truncated</c>.
/// </summary>
internal static class EndpointsCapacity
{
    /// <summary>Addresses (ready and not) an Endpoints holds at most.</summary>
    public const int MaxCapacity = 1000;

    /// <summary>The annotation on truncated Endpoints.</summary>
    public const string OverCapacityAnnotation = "endpoints.kubernetes.io/over-capacity";

    /// <summary>Its value.</summary>
    public const string Truncated = "truncated";

    /// <summary>Addresses in <paramref name="subsets"/>, ready and not.</summary>
    public static int CountAddresses(List<EndpointSubset>? subsets)
    {
        var count = 0;
        foreach (var subset in subsets ?? [])
        {
            count += (subset.Addresses?.Count ?? 0) + (subset.NotReadyAddresses?.Count ?? 0);
        }

        return count;
    }

    /// <summary>Truncates <paramref name="subsets"/> in place to <see cref="MaxCapacity"/> addresses; true when it had to.</summary>
    public static bool Truncate(List<EndpointSubset> subsets)
    {
        var totalReady = 0;
        var totalNotReady = 0;
        foreach (var subset in subsets)
        {
            totalReady += subset.Addresses?.Count ?? 0;
            totalNotReady += subset.NotReadyAddresses?.Count ?? 0;
        }

        if (totalReady + totalNotReady <= MaxCapacity)
        {
            return false;
        }

        // Too many ready ones: keep a share of them and no not-ready one; else keep every ready one and share the rest.
        var truncateReady = totalReady > MaxCapacity;
        var max = truncateReady ? MaxCapacity : MaxCapacity - totalReady;
        var total = truncateReady ? totalReady : totalNotReady;
        var canBeAdded = max;
        foreach (var subset in subsets)
        {
            var inSubset = (truncateReady ? subset.Addresses : subset.NotReadyAddresses)?.Count ?? 0;
            // Rounded up, as Kubernetes does: the last subsets may get fewer than their share.
            var toBeAdded = Math.Min((int)Math.Ceiling((double)inSubset / total * max), canBeAdded);
            if (truncateReady)
            {
                subset.Addresses = Take(subset.Addresses, toBeAdded);
                subset.NotReadyAddresses = null;
                canBeAdded -= subset.Addresses?.Count ?? 0;
            }
            else
            {
                subset.NotReadyAddresses = Take(subset.NotReadyAddresses, toBeAdded);
                canBeAdded -= subset.NotReadyAddresses?.Count ?? 0;
            }
        }

        return true;
    }

    private static List<EndpointAddress>? Take(List<EndpointAddress>? addresses, int count) =>
        addresses is null || addresses.Count <= count ? addresses : count == 0 ? null : addresses.GetRange(0, count);
}
