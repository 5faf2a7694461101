using KubeProxyFast.Controllers.Endpoints;
using KubeProxyFast.Controllers.Replication;

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
        new("replicationcontroller", static (c, o) => new ReplicationManager(c, o.ReplicationController), "replicationcontroller-controller"),
        new("endpoint", static (c, o) => new EndpointsController(c, o.Endpoint), "endpoints-controller"),
        new(NodeIpam.NodeIpamController.ControllerName, static (c, o) => new NodeIpam.NodeIpamController(c, o.NodeIpam), "node-ipam-controller"),
        new(NodeLifecycle.NodeLifecycleController.ControllerName, static (c, o) => new NodeLifecycle.NodeLifecycleController(c, o.NodeLifecycle), "node-lifecycle-controller"),
        new("garbagecollector", static (c, o) => new GarbageCollector.GarbageCollector(c, o.GarbageCollector), "garbage-collector-controller"),
        new(Certificates.CsrApprovingController.ControllerName, static (c, o) => new Certificates.CsrApprovingController(c, o.CsrApproving), "certificatesigningrequest-approving-controller"),
        new(Certificates.CsrSigningController.ControllerName, static (c, o) => new Certificates.CsrSigningController(c, o.CsrSigning), "certificatesigningrequest-signing-controller"),
        new(Certificates.CsrCleanerController.ControllerName, static (c, o) => new Certificates.CsrCleanerController(c, o.CsrCleaner), "certificatesigningrequest-cleaner-controller"),
    ];
}
