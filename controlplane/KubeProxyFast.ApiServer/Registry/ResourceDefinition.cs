using System.Diagnostics.CodeAnalysis;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// One REST resource the apiserver serves: the kind's one definition (<see cref="KindInfo"/>,
/// from the Api library) and the server's rules for it. Most are stored (<see cref="Resources.All"/>);
/// a create-only one (<see cref="IsCreateOnly"/>, <see cref="Resources.CreateOnly"/>) is only
/// ever POSTed to its collection and answered, never stored, listed or watched.
/// </summary>
internal sealed class ResourceDefinition
{
    /// <summary>Stores and serves <paramref name="info"/> under the rules of <paramref name="strategy"/>.</summary>
    public ResourceDefinition(KindInfo info, ResourceStrategy strategy)
        : this(info, strategy, createOnly: false)
    {
    }

    private ResourceDefinition(KindInfo info, ResourceStrategy strategy, bool createOnly)
    {
        Info = info;
        Strategy = strategy;
        IsCreateOnly = createOnly;
        Blank = (KubeObject)Activator.CreateInstance(info.Type)!;
        if (!createOnly && info.ListKind is null)
        {
            throw new ArgumentException($"{info} is stored, so it must have a list kind", nameof(info));
        }

        Subresources = info.Subresources.Select(s => s.Name).ToArray();
        KeyPrefix = StoreKeys.Resource(info.Resource);
    }

    /// <summary>
    /// A resource served as create only and never stored (the reviews): a POST to its collection
    /// is validated by <paramref name="strategy"/> and answered by its handler; nothing else is served.
    /// </summary>
    public static ResourceDefinition CreateOnlyOf(KindInfo info, ResourceStrategy strategy) => new(info, strategy, createOnly: true);

    /// <summary>True for a create-only resource: no store keys, watch cache, lists, garbage collection or encryption.</summary>
    public bool IsCreateOnly { get; }

    /// <summary>The kind's definition: group, version, names, scope, verbs, subresources.</summary>
    public KindInfo Info { get; }

    /// <summary>Plural, lower case: <c>pods</c>.</summary>
    public string Name => Info.Resource;

    /// <summary>Singular: <c>pod</c>.</summary>
    public string SingularName => Info.SingularName;

    /// <summary>The kind of its objects: <c>Pod</c>.</summary>
    public string Kind => Info.Kind;

    /// <summary>The group; empty for the core group.</summary>
    public string Group => Info.Group;

    /// <summary>The objects' apiVersion: <c>v1</c>, <c>coordination.k8s.io/v1</c>.</summary>
    public string ApiVersion => Info.ApiVersion;

    /// <summary>The resource as Kubernetes names it in messages: <c>pods</c>, <c>leases.coordination.k8s.io</c>.</summary>
    public string QualifiedName => Info.QualifiedResource;

    /// <summary>True when its objects live in a namespace.</summary>
    public bool Namespaced => Info.Namespaced;

    /// <summary>The model type.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type Type => Info.Type;

    /// <summary>Names of the subresources it serves, e.g. <c>status</c>, <c>binding</c>.</summary>
    public IReadOnlyList<string> Subresources { get; }

    /// <summary>Defaulting, validation and field rules of the kind.</summary>
    public ResourceStrategy Strategy { get; }

    /// <summary>An empty object of the kind, to ask the strategy which fields exist.</summary>
    public KubeObject Blank { get; }

    /// <summary>The kind of its lists: <c>PodList</c>.</summary>
    /// <exception cref="InvalidOperationException">A create-only resource, which has no lists.</exception>
    public string ListKind => Info.ListKind ?? throw new InvalidOperationException($"{this} is created only and never listed");

    /// <summary>Where objects of this resource are stored, all namespaces.</summary>
    public string KeyPrefix { get; }

    /// <summary>The store key of one object.</summary>
    public string Key(string? ns, string name) => StoreKeys.Object(Name, Namespaced ? ns : null, name);

    /// <summary>The key prefix of one namespace's objects, or of all of them when <paramref name="ns"/> is null.</summary>
    public string Prefix(string? ns) => Namespaced && ns is not null ? StoreKeys.Namespace(Name, ns) : KeyPrefix;

    /// <inheritdoc />
    public override string ToString() => QualifiedName;
}
