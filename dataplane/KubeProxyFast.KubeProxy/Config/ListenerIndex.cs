using System.Globalization;
using System.Net;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.KubeProxy.Config;

/// <summary>
/// Which service port listens where, to refuse two service ports on one address. The engine binds
/// with SO_REUSEPORT (one socket per event loop), so the kernel would accept a second service on
/// the same address and silently split its connections between the two; in a cluster the
/// apiserver's allocators prevent this, in a file nothing else does.
/// </summary>
internal sealed class ListenerIndex
{
    private readonly Dictionary<(L4Protocol, IPAddress, int), ServicePortId> _addresses = [];
    private readonly Dictionary<(L4Protocol, int), ServicePortId> _nodePorts = [];

    /// <summary>Records the addresses of <paramref name="spec"/>; returns an error per address already taken.</summary>
    public List<FieldError> Claim(ServicePortSpec spec, FieldPath portPath, FieldPath externalIPsPath, List<string>? externalIPs)
    {
        var errors = new List<FieldError>();
        if (Taken(spec, spec.ClusterIP) is { } owner)
        {
            errors.Add(FieldError.Invalid(portPath.Child("port"), spec.Port, AlreadyServed(spec, spec.ClusterIP, owner)));
        }

        for (var i = 0; externalIPs is not null && i < externalIPs.Count; i++)
        {
            var ip = IPAddress.Parse(externalIPs[i]);
            if (Taken(spec, ip) is { } other)
            {
                errors.Add(FieldError.Invalid(externalIPsPath.Index(i), externalIPs[i], AlreadyServed(spec, ip, other)));
            }
        }

        if (spec.NodePort is { } nodePort && !_nodePorts.TryAdd((spec.Protocol, nodePort), spec.Id))
        {
            // Kubernetes' own wording when the node port allocator refuses a port.
            errors.Add(FieldError.Invalid(portPath.Child("nodePort"), nodePort,
                $"provided port is already allocated (to {_nodePorts[(spec.Protocol, nodePort)]})"));
        }

        return errors;
    }

    private ServicePortId? Taken(ServicePortSpec spec, IPAddress address) =>
        _addresses.TryAdd((spec.Protocol, address, spec.Port), spec.Id) ? null : _addresses[(spec.Protocol, address, spec.Port)];

    private static string AlreadyServed(ServicePortSpec spec, IPAddress address, ServicePortId owner) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{address}:{spec.Port}/{(spec.Protocol == L4Protocol.Udp ? "UDP" : "TCP")} is already served by {owner}");
}
