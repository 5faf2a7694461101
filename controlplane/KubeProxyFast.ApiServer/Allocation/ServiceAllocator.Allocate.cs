using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Allocation;

internal sealed partial class ServiceAllocator
{
    private void AllocateClusterIp(Service service, ServiceSpec spec, string serviceKey, ServiceAllocation plan)
    {
        if (spec.ClusterIP == "None")
        {
            // Headless: no address, no proxying.
            return;
        }

        var requested = !string.IsNullOrEmpty(spec.ClusterIP);
        int offset;
        if (requested)
        {
            offset = IpRange.Offset(spec.ClusterIP!);
            if (offset < 0)
            {
                throw StatusErrors.InvalidField("Service", service.Metadata.Name, "spec.clusterIP",
                    $"Invalid value: \"{spec.ClusterIP}\": provided IP is not in the valid range. The range of valid IPs is {IpRange}");
            }

            if (offset > 0 && _ips.IsSet(offset))
            {
                throw IpTaken(service, spec.ClusterIP!);
            }

            _ips.Set(offset);
        }
        else
        {
            offset = _ips.TakeFree(Random.Shared.Next(IpRange.Size));
            if (offset < 0)
            {
                throw StatusErrors.Internal($"failed to allocate a serviceIP: range is full ({IpRange})");
            }

            spec.ClusterIP = IpRange.At(offset);
        }

        spec.ClusterIPs = [spec.ClusterIP!];
        var key = IpKeyPrefix + spec.ClusterIP;
        plan.Conditions.Add(StoreCondition.Absent(key));
        plan.Operations.Add(new StorePut(key, Owner(serviceKey)));
        plan.TakenBits.Add(new ServiceAllocation.Taken(_ips, offset, requested, "spec.clusterIP", spec.ClusterIP!));
    }

    private void AllocateNodePorts(Service service, ServiceSpec spec, ServiceSpec? old, string serviceKey, ServiceAllocation plan)
    {
        var wantsNodePorts = spec.Type is ServiceTypes.NodePort or ServiceTypes.LoadBalancer;
        var held = NodePorts(old);
        var assigned = new HashSet<int>();
        var ports = spec.Ports ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            if (!wantsNodePorts)
            {
                // Kubernetes refuses node ports on a ClusterIP service; dropping them on a type change
                // back to ClusterIP is what kubectl apply expects.
                port.NodePort = null;
                continue;
            }

            if (port.NodePort is null or 0)
            {
                port.NodePort = KeptNodePort(port, old);
            }

            if (port.NodePort is > 0 && (held.Contains(port.NodePort.Value) || assigned.Contains(port.NodePort.Value)))
            {
                // Already this service's (kept from before, or shared by TCP and UDP of one port).
                assigned.Add(port.NodePort.Value);
                continue;
            }

            var field = "spec.ports[" + i.ToString(CultureInfo.InvariantCulture) + "].nodePort";
            var requested = port.NodePort is > 0;
            int offset;
            if (requested)
            {
                var value = port.NodePort!.Value;
                if (value < PortRange.First || value > PortRange.Last)
                {
                    throw StatusErrors.InvalidField("Service", service.Metadata.Name, field,
                        $"Invalid value: {value}: provided port is not in the valid range. The range of valid ports is {PortRange}");
                }

                offset = value - PortRange.First;
                if (_ports.IsSet(offset))
                {
                    throw PortTaken(service, field, value);
                }

                _ports.Set(offset);
            }
            else
            {
                offset = _ports.TakeFree(Random.Shared.Next(PortRange.Size));
                if (offset < 0)
                {
                    throw StatusErrors.Internal($"failed to allocate a nodePort: range is full ({PortRange})");
                }

                port.NodePort = PortRange.First + offset;
            }

            assigned.Add(port.NodePort!.Value);
            var key = NodePortKeyPrefix + port.NodePort.Value.ToString(CultureInfo.InvariantCulture);
            plan.Conditions.Add(StoreCondition.Absent(key));
            plan.Operations.Add(new StorePut(key, Owner(serviceKey)));
            plan.TakenBits.Add(new ServiceAllocation.Taken(_ports, offset, requested, field, port.NodePort.Value.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The node port an updated port keeps: the old port's with the same port number and protocol.</summary>
    private static int? KeptNodePort(ServicePort port, ServiceSpec? old)
    {
        foreach (var before in old?.Ports ?? [])
        {
            if (before.Port == port.Port && before.Protocol == port.Protocol && before.NodePort is > 0)
            {
                return before.NodePort;
            }
        }

        return null;
    }

    /// <summary>The 422 for a requested value another service holds.</summary>
    public static StatusException Taken(Service service, ServiceAllocation.Taken taken) =>
        taken.Field == "spec.clusterIP"
            ? IpTaken(service, taken.Value)
            : PortTaken(service, taken.Field, int.Parse(taken.Value, CultureInfo.InvariantCulture));

    private static StatusException IpTaken(Service service, string ip) =>
        StatusErrors.InvalidField("Service", service.Metadata.Name, "spec.clusterIP",
            $"Invalid value: \"{ip}\": provided IP is already allocated");

    private static StatusException PortTaken(Service service, string field, int port) =>
        StatusErrors.InvalidField("Service", service.Metadata.Name, field,
            $"Invalid value: {port}: provided port is already allocated");
}
