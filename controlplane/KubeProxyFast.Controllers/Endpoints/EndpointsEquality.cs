using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// Whether stored Endpoints already say what a sync wants, as Kubernetes' semantic equality
/// decides it: a missing list or map equals an empty one, a missing string an empty one, and a
/// target's resourceVersion is ignored (a pod's unrelated changes must not rewrite Endpoints).
/// </summary>
internal static class EndpointsEquality
{
    /// <summary>Subsets equal field by field, in order.</summary>
    public static bool SubsetsEqual(List<EndpointSubset>? a, List<EndpointSubset>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        for (var i = 0; i < (a?.Count ?? 0); i++)
        {
            var x = a![i];
            var y = b![i];
            if (!AddressesEqual(x.Addresses, y.Addresses) || !AddressesEqual(x.NotReadyAddresses, y.NotReadyAddresses) || !PortsEqual(x.Ports, y.Ports))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Label maps equal, a missing map being an empty one.</summary>
    public static bool LabelsEqual(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        foreach (var (key, value) in a ?? new Dictionary<string, string>())
        {
            if (!b!.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AddressesEqual(List<EndpointAddress>? a, List<EndpointAddress>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        for (var i = 0; i < (a?.Count ?? 0); i++)
        {
            var x = a![i];
            var y = b![i];
            if (!Same(x.Ip, y.Ip) || !Same(x.Hostname, y.Hostname) || !NodeNameEqual(x.NodeName, y.NodeName) || !TargetsEqual(x.TargetRef, y.TargetRef))
            {
                return false;
            }
        }

        return true;
    }

    private static bool PortsEqual(List<EndpointPort>? a, List<EndpointPort>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        for (var i = 0; i < (a?.Count ?? 0); i++)
        {
            if (EndpointPortKey.Of(a![i]) != EndpointPortKey.Of(b![i]))
            {
                return false;
            }
        }

        return true;
    }

    // nodeName is a pointer in Go: absent and empty differ.
    private static bool NodeNameEqual(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    private static bool TargetsEqual(ObjectReference? a, ObjectReference? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return Same(a.Kind, b.Kind) && Same(a.Namespace, b.Namespace) && Same(a.Name, b.Name) && Same(a.Uid, b.Uid)
            && Same(a.ApiVersion, b.ApiVersion) && Same(a.FieldPath, b.FieldPath);
    }

    private static bool Same(string? a, string? b) => string.Equals(a ?? "", b ?? "", StringComparison.Ordinal);
}
