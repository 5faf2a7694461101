using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Proxier;

/// <summary>
/// The live state of one service port, shared by all event loops: the endpoint set (swapped
/// whole through a volatile field, so readers take no lock and new connections see a new set at
/// once), the balancer with its affinity table, and the counters.
/// </summary>
internal sealed class ServicePortRuntime
{
    private volatile EndpointSet _endpoints;
    private volatile bool _removed;

    public ServicePortRuntime(ServicePortSpec spec, ProxyEngineOptions options, TimeProvider time)
    {
        Spec = spec;
        Name = spec.Id.ToString();
        _endpoints = new EndpointSet(spec.Endpoints);
        Selector = CreateSelector(spec, options, time);
        Counters = new ServicePortCounters(spec.Id, options.Threads);
    }

    public string Name { get; }

    /// <summary>The spec last applied.</summary>
    public ServicePortSpec Spec { get; private set; }

    public EndpointSet Endpoints => _endpoints;

    public EndpointSelector Selector { get; private set; }

    public ServicePortCounters Counters { get; }

    /// <summary>True once the service port left the snapshot; its connections drain.</summary>
    public bool Removed => _removed;

    /// <summary>Takes a new spec with the same addresses: swaps endpoints, and the balancer if affinity changed.</summary>
    public void Update(ServicePortSpec spec, ProxyEngineOptions options, TimeProvider time)
    {
        if (spec.Affinity != Spec.Affinity)
        {
            Selector = CreateSelector(spec, options, time);
        }

        _endpoints = new EndpointSet(spec.Endpoints, _endpoints);
        Spec = spec;
    }

    public void MarkRemoved() => _removed = true;

    private static EndpointSelector CreateSelector(ServicePortSpec spec, ProxyEngineOptions options, TimeProvider time)
    {
        var affinity = spec.Affinity.ClientIP
            ? new ClientIpAffinityTable(spec.Affinity.Timeout, options.AffinityCapacity, time)
            : null;
        return new EndpointSelector(EndpointPickerFactory.Create(options.Balancing), affinity);
    }
}
