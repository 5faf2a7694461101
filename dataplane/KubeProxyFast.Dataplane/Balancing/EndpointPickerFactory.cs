namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>Makes the picker for one service port.</summary>
public static class EndpointPickerFactory
{
    /// <summary>
    /// The picker for <paramref name="mode"/>. Random pickers hold no state and are shared; a
    /// round-robin picker owns its service port's counter, so call this once per service port.
    /// </summary>
    public static IEndpointPicker Create(BalancingMode mode) => mode switch
    {
        BalancingMode.Random => RandomEndpointPicker.Shared,

        // Start every port at a random place in its rotation. The userspace proxier shuffled each
        // endpoint list for the same reason (util.ShuffleStrings in pkg/proxy/userspace/roundrobin.go):
        // otherwise every node's first connection goes to the same endpoint.
        BalancingMode.RoundRobin => new RoundRobinEndpointPicker(RandomEndpointPicker.NextUInt32()),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown balancing mode"),
    };
}
