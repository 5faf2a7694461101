using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Rbac;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.GarbageCollector;

/// <summary>
/// The kinds the collector knows. It watches the namespaced kinds that carry ownerReferences
/// (pods, replication controllers, services, endpoints, config maps, secrets, leases — a node's
/// Lease is owned by its Node — and RBAC objects); events are left out, as kube-controller-manager ignores them by
/// default (many, short-lived, never owners). Every served kind can be an owner and is resolved
/// for the live check of a reference.
/// </summary>
internal sealed class GcResources
{
    private readonly Dictionary<(string ApiVersion, string Kind), GcResource> _byKind = [];

    public GcResources(KubeClient client)
    {
        All =
        [
            new GcResource<Pod>(client, monitored: true),
            new GcResource<ReplicationController>(client, monitored: true),
            new GcResource<Service>(client, monitored: true),
            new GcResource<Api.Core.Endpoints>(client, monitored: true),
            new GcResource<ConfigMap>(client, monitored: true),
            new GcResource<Secret>(client, monitored: true),
            new GcResource<Lease>(client, monitored: true),
            new GcResource<Node>(client, monitored: true),
            new GcResource<Role>(client, monitored: true),
            new GcResource<RoleBinding>(client, monitored: true),
            new GcResource<ClusterRole>(client, monitored: true),
            new GcResource<ClusterRoleBinding>(client, monitored: true),
            // Never owned here, but resolvable as an owner like every served kind.
            new GcResource<Api.Certificates.CertificateSigningRequest>(client, monitored: false),
            new GcResource<Namespace>(client, monitored: false),
            new GcResource<Event>(client, monitored: false),
        ];
        foreach (var resource in All)
        {
            _byKind[(resource.Kind.ApiVersion, resource.Kind.Kind)] = resource;
        }
    }

    /// <summary>Every kind known.</summary>
    public IReadOnlyList<GcResource> All { get; }

    /// <summary>The kind an owner reference names, or null when this server serves no such kind (another group, a typo).</summary>
    public GcResource? Find(string apiVersion, string kind) => _byKind.GetValueOrDefault((apiVersion, kind));

    /// <summary>The kind of an identity.</summary>
    public GcResource? Find(ObjectIdentity identity) => Find(identity.ApiVersion, identity.Kind);

    /// <summary>Stored kinds this table cannot read (none, unless a new kind was served without being added here).</summary>
    public IEnumerable<KindInfo> UnknownServedKinds() =>
        KubeKinds.All.Where(k => k.IsServed && k.ListType is not null && Find(k.ApiVersion, k.Kind) is null);
}
