using System.Text.Json.Serialization;

namespace KubeProxyFast.Api.Meta;

/// <summary>
/// A top-level API object: TypeMeta (<c>kind</c>, <c>apiVersion</c>) inline, then <c>metadata</c>.
/// The property order is the order Kubernetes writes them.
/// </summary>
public abstract class KubeObject : Extensible
{
    /// <summary>The object's kind, e.g. <c>Pod</c>.</summary>
    [JsonPropertyOrder(-3)]
    public string? Kind { get; set; }

    /// <summary>The group/version of the schema, e.g. <c>v1</c>.</summary>
    [JsonPropertyOrder(-2)]
    public string? ApiVersion { get; set; }

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; set; } = new();
}

/// <summary>A list of objects with <c>metadata</c> of type <see cref="ListMeta"/>.</summary>
public abstract class KubeList<T> : Extensible
    where T : KubeObject
{
    /// <summary>The list's kind, e.g. <c>PodList</c>.</summary>
    [JsonPropertyOrder(-3)]
    public string? Kind { get; set; }

    /// <summary>The group/version of the schema, e.g. <c>v1</c>.</summary>
    [JsonPropertyOrder(-2)]
    public string? ApiVersion { get; set; }

    /// <summary>Resource version of the store when the list was read, and the continue token.</summary>
    [JsonPropertyOrder(-1)]
    public ListMeta Metadata { get; set; } = new();

    /// <summary>The listed objects. Kubernetes writes <c>"items": []</c> for an empty list, never omits it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public List<T> Items { get; set; } = [];
}
