namespace KubeProxyFast.Controllers;

/// <summary>
/// Every controller <c>kpf controller-manager</c> can run, in the order it builds, starts and (in
/// reverse) stops them. One line per controller: its kube-controller-manager name, its factory
/// (the controller's public constructor with its part of <see cref="ControllerManagerOptions"/>),
/// and Kubernetes' newer name as an alias. All are enabled by <c>--controllers=*</c>, as in
/// kube-controller-manager.
/// </summary>
public static class KnownControllers
{
    /// <summary>The controllers, in start order.</summary>
    public static IReadOnlyList<ControllerRegistration> All { get; } =
    [
        // replicationcontroller (g15-rc): new("replicationcontroller", static (c, o) => new ReplicationManager(c, o.ReplicationController), "replicationcontroller-controller"),

        // endpoint (g15-endpoints): new("endpoint", static (c, o) => new EndpointController(c, o.Endpoint), "endpoints-controller"),

        // nodeipam (g15-nodes): new("nodeipam", static (c, o) => new NodeIpamController(c, o.NodeIpam), "node-ipam-controller"),

        // nodelifecycle (g15-nodes): new("nodelifecycle", static (c, o) => new NodeLifecycleController(c, o.NodeLifecycle), "node-lifecycle-controller"),

        // garbagecollector (g15-gc): new("garbagecollector", static (c, o) => new GarbageCollector(c, o.GarbageCollector), "garbage-collector-controller"),
    ];
}
