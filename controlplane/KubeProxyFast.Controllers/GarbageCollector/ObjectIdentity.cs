using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Controllers.GarbageCollector;

/// <summary>Which object a node of the dependency graph stands for: kind, namespace, name and uid.</summary>
/// <param name="ApiVersion">The owner reference's or object's apiVersion.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Namespace">The namespace (a dependent's, for an owner known only from a reference); null when cluster-scoped.</param>
/// <param name="Name">The name.</param>
/// <param name="Uid">The uid, the graph's key.</param>
internal sealed record ObjectIdentity(string ApiVersion, string Kind, string? Namespace, string Name, string Uid)
{
    /// <summary>The identity of an observed object of <paramref name="resource"/>.</summary>
    public static ObjectIdentity Of(GcResource resource, KubeObject obj) =>
        new(resource.Kind.ApiVersion, resource.Kind.Kind, obj.Metadata.Namespace, obj.Metadata.Name ?? "", obj.Metadata.Uid ?? "");

    /// <summary>The identity an owner reference names, in the dependent's namespace (references carry none).</summary>
    public static ObjectIdentity Of(OwnerReference owner, string? ns) => new(owner.ApiVersion, owner.Kind, ns, owner.Name, owner.Uid);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind} {(Namespace is null ? "" : Namespace + "/")}{Name} (uid {Uid})";
}
