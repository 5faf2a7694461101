using System.Diagnostics.CodeAnalysis;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// Everything the API says about one kind, defined once (<see cref="KubeKinds"/>) and read by
/// serialization (apiVersion and kind), the client (REST paths, list types) and the apiserver
/// (routing, registry, discovery, OpenAPI).
/// </summary>
public sealed class KindInfo
{
    private string? _apiVersion;

    /// <summary>Group and version: <c>("", "v1")</c>, <c>("coordination.k8s.io", "v1")</c>.</summary>
    public required GroupVersion GroupVersion { get; init; }

    /// <summary>The group; empty for the core group.</summary>
    public string Group => GroupVersion.Group;

    /// <summary>The version, e.g. <c>v1</c>.</summary>
    public string Version => GroupVersion.Version;

    /// <summary>The objects' <c>apiVersion</c>: <c>v1</c> or <c>coordination.k8s.io/v1</c>.</summary>
    public string ApiVersion => _apiVersion ??= GroupVersion.ToString();

    /// <summary>The kind, e.g. <c>Pod</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The REST resource: plural, lower case, e.g. <c>pods</c>.</summary>
    public required string Resource { get; init; }

    /// <summary>The singular resource name, e.g. <c>pod</c> (kubectl accepts it for the plural).</summary>
    public required string SingularName { get; init; }

    /// <summary>The kind of its lists, e.g. <c>PodList</c>; null for kinds that are never listed (Binding, Scale).</summary>
    public string? ListKind { get; init; }

    /// <summary>True when objects live in a namespace.</summary>
    public required bool Namespaced { get; init; }

    /// <summary>kubectl's short names, e.g. <c>po</c>.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>The verbs served on the resource; empty for a kind served only as a subresource (Scale).</summary>
    public IReadOnlyList<string> Verbs { get; init; } = [];

    /// <summary>Categories it belongs to, e.g. <c>all</c> (<c>kubectl get all</c>).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The subresources served under each object.</summary>
    public IReadOnlyList<SubresourceInfo> Subresources { get; init; } = [];

    /// <summary>The model type.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public required Type Type { get; init; }

    /// <summary>The model type of its lists; null when <see cref="ListKind"/> is.</summary>
    public Type? ListType { get; init; }

    /// <summary>True when discovery lists it as a resource of its group version.</summary>
    public bool IsServed => Verbs.Count > 0;

    /// <summary>The resource qualified by its group, as Kubernetes names it in messages: <c>pods</c>, <c>leases.coordination.k8s.io</c>.</summary>
    public string QualifiedResource => GroupVersion.IsCore ? Resource : Resource + "." + Group;

    /// <summary>The kind qualified by its group: <c>Pod</c>, <c>Lease.coordination.k8s.io</c>.</summary>
    public string QualifiedKind => GroupVersion.IsCore ? Kind : Kind + "." + Group;

    /// <summary>
    /// The collection's path: <c>/api/v1/namespaces/{ns}/pods</c>, or <c>/api/v1/pods</c> across
    /// namespaces and for cluster-scoped kinds; <c>/apis/{group}/{version}/…</c> for named groups.
    /// </summary>
    public string CollectionPath(string? ns) =>
        !Namespaced || string.IsNullOrEmpty(ns)
            ? GroupVersion.Path + "/" + Resource
            : GroupVersion.Path + "/namespaces/" + Uri.EscapeDataString(ns) + "/" + Resource;

    /// <summary>The path of one object, or of one of its subresources.</summary>
    /// <exception cref="ArgumentException">No name, or no namespace for a namespaced kind.</exception>
    public string ItemPath(string? ns, string name, string? subresource = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Resource} are namespaced: a namespace is required", nameof(ns));
        }

        var path = CollectionPath(ns) + "/" + Uri.EscapeDataString(name);
        return subresource is null ? path : path + "/" + subresource;
    }

    /// <inheritdoc />
    public override string ToString() => QualifiedKind;
}
