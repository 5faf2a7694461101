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

    public static readonly ResourceDefinition ClusterRoleBindings = new(KubeKinds.ClusterRoleBinding, new RbacBindingStrategy());

    public static readonly ResourceDefinition ClusterRoles = new(KubeKinds.ClusterRole, new RbacRoleStrategy());

    public static readonly ResourceDefinition RoleBindings = new(KubeKinds.RoleBinding, new RbacBindingStrategy());

    public static readonly ResourceDefinition Roles = new(KubeKinds.Role, new RbacRoleStrategy());

    public static readonly ResourceDefinition CertificateSigningRequests = new(KubeKinds.CertificateSigningRequest, new CertificateSigningRequestStrategy());

    /// <summary>Every stored resource.</summary>
    public static IReadOnlyList<ResourceDefinition> All { get; } =
        [Namespaces, Nodes, Pods, Services, Endpoints, ReplicationControllers, Events, ConfigMaps, Secrets, Leases, CertificateSigningRequests,
         ClusterRoleBindings, ClusterRoles, RoleBindings, Roles];

    /// <summary>
    /// The resources served as create only and never stored (<see cref="ResourceDefinition.IsCreateOnly"/>):
    /// routed and authorized as any resource, answered by <see cref="Reviews.CreateOnlyHandler"/>.
    /// Not in <see cref="All"/>, so nothing that walks the stored resources (watch caches,
    /// encryption, the namespace finalizer, the garbage collector) ever sees them.
    /// </summary>
    public static IReadOnlyList<ResourceDefinition> CreateOnly { get; } =
    [
        ResourceDefinition.CreateOnlyOf(KubeKinds.SelfSubjectReview, ReviewStrategy.Instance),
        ResourceDefinition.CreateOnlyOf(KubeKinds.TokenReview, ReviewStrategy.Instance),
        ResourceDefinition.CreateOnlyOf(KubeKinds.LocalSubjectAccessReview, ReviewStrategy.Instance),
        ResourceDefinition.CreateOnlyOf(KubeKinds.SelfSubjectAccessReview, ReviewStrategy.Instance),
        ResourceDefinition.CreateOnlyOf(KubeKinds.SelfSubjectRulesReview, ReviewStrategy.Instance),
        ResourceDefinition.CreateOnlyOf(KubeKinds.SubjectAccessReview, ReviewStrategy.Instance),
    ];

    /// <summary>The resource, stored or create-only, named <paramref name="name"/> (plural) in <paramref name="groupVersion"/>, or null.</summary>
    public static ResourceDefinition? Find(GroupVersion groupVersion, string name) => Find(All, groupVersion, name) ?? Find(CreateOnly, groupVersion, name);

    private static ResourceDefinition? Find(IReadOnlyList<ResourceDefinition> resources, GroupVersion groupVersion, string name)
    {
        foreach (var resource in resources)
        {
            if (resource.Name == name && resource.Info.GroupVersion == groupVersion)
            {
                return resource;
            }
        }

        return null;
    }
}
