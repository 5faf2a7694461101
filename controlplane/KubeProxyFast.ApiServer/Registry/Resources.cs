using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Registry.Strategies;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>The resources the apiserver stores: each kind's definition (<see cref="KubeKinds"/>) with its strategy.</summary>
internal static class Resources
{
    public static readonly ResourceDefinition Namespaces = new(KubeKinds.Namespace, new NamespaceStrategy());

    public static readonly ResourceDefinition Nodes = new(KubeKinds.Node, new NodeStrategy());

    public static readonly ResourceDefinition Pods = new(KubeKinds.Pod, new PodStrategy());

    public static readonly ResourceDefinition Services = new(KubeKinds.Service, new ServiceStrategy());

    public static readonly ResourceDefinition Endpoints = new(KubeKinds.Endpoints, new PlainStrategy());

    public static readonly ResourceDefinition ReplicationControllers = new(KubeKinds.ReplicationController, new ReplicationControllerStrategy());

    public static readonly ResourceDefinition Events = new(KubeKinds.Event, new EventStrategy());

    public static readonly ResourceDefinition ConfigMaps = new(KubeKinds.ConfigMap, new ConfigMapStrategy());

    public static readonly ResourceDefinition Secrets = new(KubeKinds.Secret, new SecretStrategy());

    public static readonly ResourceDefinition Leases = new(KubeKinds.Lease, new LeaseStrategy());

    public static readonly ResourceDefinition CertificateSigningRequests = new(KubeKinds.CertificateSigningRequest, new CertificateSigningRequestStrategy());

    /// <summary>Every stored resource.</summary>
    public static IReadOnlyList<ResourceDefinition> All { get; } =
        [Namespaces, Nodes, Pods, Services, Endpoints, ReplicationControllers, Events, ConfigMaps, Secrets, Leases, CertificateSigningRequests];

    /// <summary>The resource named <paramref name="name"/> (plural) in <paramref name="groupVersion"/>, or null.</summary>
    public static ResourceDefinition? Find(GroupVersion groupVersion, string name)
    {
        foreach (var resource in All)
        {
            if (resource.Name == name && resource.Info.GroupVersion == groupVersion)
            {
                return resource;
            }
        }

        return null;
    }
}
