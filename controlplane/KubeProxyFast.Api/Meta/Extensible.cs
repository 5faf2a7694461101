using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeProxyFast.Api.Meta;

/// <summary>
/// Base of every API type. Fields this model does not know (newer Kubernetes fields such as
/// <c>imagePullPolicy</c> that kubectl sends) are kept verbatim and written back unchanged, so a
/// read-modify-write through us never drops what a client stored.
/// </summary>
public abstract class Extensible
{
    /// <summary>Fields not modelled by this type, in their original JSON form.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }
}
