using System.Text.Json.Serialization;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>
/// metav1.PartialObjectMetadata: the object of a table row by default. kubectl reads its
/// <c>metadata</c> for names, namespaces and <c>--show-labels</c>.
/// </summary>
internal sealed class PartialObjectMetadata
{
    /// <summary>Always <c>PartialObjectMetadata</c>.</summary>
    [JsonPropertyOrder(-3)]
    public string Kind { get; init; } = "PartialObjectMetadata";

    /// <summary>The Table's group/version.</summary>
    [JsonPropertyOrder(-2)]
    public string ApiVersion { get; init; } = TableAccept.GroupVersionV1;

    /// <summary>The object's metadata, complete.</summary>
    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; init; } = new();
}
