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
    private readonly bool _systemClock;
    private volatile bool _removed;

    public ServicePortRuntime(ServicePortSpec spec, ProxyEngineOptions options, TimeProvider time)
    {
        Spec = spec;
        Name = spec.Id.ToString();
        _endpoints = new EndpointSet(spec.Endpoints);
        Selector = CreateSelector(spec, options, time);
        Counters = new ServicePortCounters(spec.Id, options.Threads);
        // TimeProvider.System's timestamps are Stopwatch timestamps, the loops' clock.
        _systemClock = ReferenceEquals(time, TimeProvider.System);
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

    /// <summary>
    /// Picks the endpoint for a new client. With the system clock, the loop's timestamp of the
    /// current batch of events is the time (reading the clock costs about as much as the whole
    /// affinity lookup; a few milliseconds of staleness do not matter to a timeout of seconds).
    /// </summary>
    public BackendEndpoint? Select(in ClientAddress client, long loopNow, BackendEndpoint? exclude = null) =>
        _systemClock
            ? Selector.Select(_endpoints, in client, loopNow, exclude)
            : Selector.Select(_endpoints, in client, exclude);

    private static EndpointSelector CreateSelector(ServicePortSpec spec, ProxyEngineOptions options, TimeProvider time) =>
        EndpointSelector.Create(options.Balancing, spec.Affinity, time, options.AffinityCapacity);
}
