using System.Diagnostics.CodeAnalysis;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>One REST resource the apiserver serves under <c>/api/v1</c>.</summary>
/// <param name="Name">Plural, lower case: <c>pods</c>.</param>
/// <param name="SingularName">Singular: <c>pod</c>.</param>
/// <param name="Kind">The kind of its objects: <c>Pod</c>.</param>
/// <param name="Namespaced">True when its objects live in a namespace.</param>
/// <param name="Type">The model type.</param>
/// <param name="ShortNames">kubectl's short names: <c>po</c>.</param>
/// <param name="Subresources">Subresources it serves, e.g. <c>status</c>, <c>binding</c>.</param>
/// <param name="Strategy">Defaulting, validation and field rules of the kind.</param>
internal sealed record ResourceDefinition(
    string Name,
    string SingularName,
    string Kind,
    bool Namespaced,
    [property: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    [param: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    Type Type,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Subresources,
    ResourceStrategy Strategy)
{
    /// <summary>An empty object of the kind, to ask the strategy which fields exist.</summary>
    public Api.Meta.KubeObject Blank { get; } = (Api.Meta.KubeObject)Activator.CreateInstance(Type)!;

    /// <summary>The kind of its lists: <c>PodList</c>.</summary>
    public string ListKind { get; } = Kind + "List";

    /// <summary>Where objects of this resource are stored, all namespaces.</summary>
    public string KeyPrefix { get; } = StoreKeys.Resource(Name);

    /// <summary>The store key of one object.</summary>
    public string Key(string? ns, string name) => StoreKeys.Object(Name, Namespaced ? ns : null, name);

    /// <summary>The key prefix of one namespace's objects, or of all of them when <paramref name="ns"/> is null.</summary>
    public string Prefix(string? ns) => Namespaced && ns is not null ? StoreKeys.Namespace(Name, ns) : KeyPrefix;
}
