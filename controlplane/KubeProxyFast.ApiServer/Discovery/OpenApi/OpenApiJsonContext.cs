using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>Source-generated metadata to write the OpenAPI document's JSON nodes.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class OpenApiJsonContext : JsonSerializerContext;
