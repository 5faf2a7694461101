using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Registry.Strategies;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>The resources served under <c>/api/v1</c>.</summary>
internal static class Resources
{
    public static readonly ResourceDefinition Namespaces =
        new("namespaces", "namespace", "Namespace", Namespaced: false, typeof(Namespace), ["ns"], ["status"], new NamespaceStrategy());

    public static readonly ResourceDefinition Nodes =
        new("nodes", "node", "Node", Namespaced: false, typeof(Node), ["no"], ["status", "proxy"], new NodeStrategy());

    public static readonly ResourceDefinition Pods =
        new("pods", "pod", "Pod", Namespaced: true, typeof(Pod), ["po"], ["status", "binding", "proxy"], new PodStrategy());

    public static readonly ResourceDefinition Services =
        new("services", "service", "Service", Namespaced: true, typeof(Service), ["svc"], ["status", "proxy"], new ServiceStrategy());

    public static readonly ResourceDefinition Endpoints =
        new("endpoints", "endpoints", "Endpoints", Namespaced: true, typeof(Endpoints), ["ep"], [], new PlainStrategy());

    public static readonly ResourceDefinition ReplicationControllers =
        new("replicationcontrollers", "replicationcontroller", "ReplicationController", Namespaced: true, typeof(ReplicationController), ["rc"], ["status", "scale"], new ReplicationControllerStrategy());

    public static readonly ResourceDefinition Events =
        new("events", "event", "Event", Namespaced: true, typeof(Event), ["ev"], [], new EventStrategy());

    /// <summary>Every stored resource, in discovery order.</summary>
    public static IReadOnlyList<ResourceDefinition> All { get; } =
        [Namespaces, Nodes, Pods, Services, Endpoints, ReplicationControllers, Events];

    /// <summary>The resource named <paramref name="name"/> (plural), or null.</summary>
    public static ResourceDefinition? Find(string name)
    {
        foreach (var resource in All)
        {
            if (resource.Name == name)
            {
                return resource;
            }
        }

        return null;
    }
}
