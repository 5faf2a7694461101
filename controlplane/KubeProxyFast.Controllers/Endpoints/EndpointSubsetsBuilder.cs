using System.Text.Json;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// The subsets a Service's Endpoints should hold, given the pods its selector matches, as
/// Kubernetes' endpoints controller computes them: each pod that belongs in endpoints
/// (<see cref="EndpointPod.ShouldBeInEndpoints"/>) with an IP of the service's family is an
/// address (targetRef, nodeName, and hostname when the pod's subdomain is the service's name),
/// ready when its <c>Ready</c> condition is True or the service publishes not-ready addresses,
/// offered on each service port the pod resolves (<see cref="EndpointPod.FindPort"/>); a headless
/// service without ports gets its addresses alone. Packed by <see cref="SubsetPacker"/>.
/// </summary>
internal static class EndpointSubsetsBuilder
{
    /// <summary>The canonical subsets of <paramref name="service"/> (which has a spec) over <paramref name="pods"/>.</summary>
    public static List<EndpointSubset> Build(Service service, IReadOnlyList<EndpointPod> pods)
    {
        var spec = service.Spec ?? throw new ArgumentException($"service {service.Metadata.Name} has no spec", nameof(service));
        var publishNotReady = spec.PublishNotReadyAddresses == true;
        var ports = spec.Ports ?? [];
        var headless = spec.ClusterIP == ClusterIPNone;
        var wantIpv6 = ServiceFamilyIsIpv6(spec);
        var ns = service.Metadata.Namespace ?? "";
        var name = service.Metadata.Name ?? "";
        var packer = new SubsetPacker(pods.Count);
        foreach (var pod in pods)
        {
            if (!pod.ShouldBeInEndpoints(publishNotReady) || IpOf(pod, wantIpv6) is not { } ip)
            {
                continue;
            }

            var address = new EndpointAddress
            {
                Ip = ip,
                // Kubernetes points nodeName at the pod's (possibly empty) spec.nodeName.
                NodeName = pod.NodeName ?? "",
                TargetRef = new ObjectReference { Kind = "Pod", Namespace = pod.Namespace, Name = pod.Name, Uid = pod.Uid },
                Hostname = !string.IsNullOrEmpty(pod.Hostname) && pod.Subdomain == name && pod.Namespace == ns ? pod.Hostname : null,
            };
            var ready = publishNotReady || pod.Ready;
            if (ports.Count == 0)
            {
                if (headless)
                {
                    packer.Add(address, EndpointPortKey.None, ready);
                }

                continue;
            }

            foreach (var port in ports)
            {
                if (pod.FindPort(port) is { } number)
                {
                    packer.Add(address, EndpointPortKey.Of(port, number), ready);
                }
            }
        }

        return packer.Pack();
    }

    /// <summary><c>spec.clusterIP</c> of a headless service.</summary>
    public const string ClusterIPNone = "None";

    /// <summary>
    /// The IP family of the service's endpoints, as Kubernetes picks it: <c>spec.ipFamilies[0]</c>;
    /// without it, the cluster IP's family; null for a headless service (each pod's first IP decides).
    /// </summary>
    private static bool? ServiceFamilyIsIpv6(ServiceSpec spec)
    {
        if (spec.UnknownFields is { } fields && fields.TryGetValue("ipFamilies", out var families)
            && families.ValueKind == JsonValueKind.Array && families.GetArrayLength() > 0
            && families[0].ValueKind == JsonValueKind.String)
        {
            return families[0].GetString() == "IPv6";
        }

        if (!string.IsNullOrEmpty(spec.ClusterIP) && spec.ClusterIP != ClusterIPNone)
        {
            return IsIpv6(spec.ClusterIP);
        }

        return null;
    }

    /// <summary>The pod's first IP of the family (of its first IP's family when <paramref name="wantIpv6"/> is null), or null.</summary>
    private static string? IpOf(EndpointPod pod, bool? wantIpv6)
    {
        var family = wantIpv6 ?? IsIpv6(pod.Ips[0]);
        foreach (var ip in pod.Ips)
        {
            if (IsIpv6(ip) == family)
            {
                return ip;
            }
        }

        return null;
    }

    // An IPv6 address in text always has a colon and an IPv4 one never: no parse (and no IPAddress) per pod.
    private static bool IsIpv6(string ip) => ip.Contains(':', StringComparison.Ordinal);
}
