using System.Net;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink.NfTables;
using static KubeProxyFast.Dataplane.Netfilter.Rulesets.RulesetNames;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>The map and set elements a snapshot needs.</summary>
internal sealed partial class KernelRuleset
{
    private static void WriteElements(NfBatch batch, List<MapElement> elements, bool delete)
    {
        foreach (var map in new[] { ServiceIPs, ServiceNodePorts, NoEndpointServiceIPs, NoEndpointNodePorts })
        {
            MapEntries.Write(batch, map, elements, delete);
        }
    }

    private static void WriteSlots(NfBatch batch, List<EndpointSlot> slots, bool delete)
    {
        MapEntries.Write(batch, EndpointMap, slots, delete);
        MapEntries.Write(batch, NodePortEndpointMap, slots, delete);
    }

    /// <summary>
    /// The map elements that route to <paramref name="spec"/>: to its pick chains (its own chains
    /// with ClientIP affinity), or to reject when it has no endpoints.
    /// </summary>
    private static void AppendElements(ServicePortSpec spec, List<MapElement> elements)
    {
        var stem = Stem(spec.Id);
        var count = spec.Endpoints.Length;
        var hasEndpoints = count > 0;
        var ips = hasEndpoints ? ServiceIPs : NoEndpointServiceIPs;
        var nodePorts = hasEndpoints ? ServiceNodePorts : NoEndpointNodePorts;
        string service, external, nodePortTarget;
        if (!hasEndpoints)
        {
            service = external = nodePortTarget = RejectChain;
        }
        else if (UsesSlots(spec))
        {
            service = new PickChain(PickKind.ClusterIP, spec.Protocol, count).Name;
            external = new PickChain(PickKind.ExternalIP, spec.Protocol, count).Name;
            nodePortTarget = new PickChain(PickKind.NodePort, spec.Protocol, count).Name;
        }
        else
        {
            service = ServiceChain(stem);
            external = nodePortTarget = ExternalChain(stem);
        }

        elements.Add(new MapElement(ips, spec.ClusterIP, spec.Protocol, spec.Port, service));
        foreach (var address in spec.ExternalIPs)
        {
            elements.Add(new MapElement(ips, address, spec.Protocol, spec.Port, external));
        }

        if (spec.NodePort is { } nodePort)
        {
            elements.Add(new MapElement(nodePorts, null, spec.Protocol, nodePort, nodePortTarget));
        }
    }

    /// <summary>The endpoint slots of <paramref name="spec"/>, for every address it answers on (none with ClientIP affinity).</summary>
    private static void AppendSlots(ServicePortSpec spec, List<EndpointSlot> slots)
    {
        if (!UsesSlots(spec))
        {
            return;
        }

        for (var i = 0; i < spec.Endpoints.Length; i++)
        {
            var endpoint = spec.Endpoints[i];
            slots.Add(new EndpointSlot(EndpointMap, spec.ClusterIP, spec.Port, i, endpoint));
            foreach (var address in spec.ExternalIPs)
            {
                slots.Add(new EndpointSlot(EndpointMap, address, spec.Port, i, endpoint));
            }

            if (spec.NodePort is { } nodePort)
            {
                slots.Add(new EndpointSlot(NodePortEndpointMap, null, nodePort, i, endpoint));
            }
        }
    }

    /// <summary>The hairpin set's uses by <paramref name="spec"/>: each endpoint address (a pod there may reach itself through its service).</summary>
    private static IEnumerable<IPAddress> HairpinUses(ServicePortSpec spec) =>
        IsProgrammed(spec) ? spec.Endpoints.Select(e => e.Address) : [];
}
