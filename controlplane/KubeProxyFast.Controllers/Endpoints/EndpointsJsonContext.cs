using System.Text.Json.Serialization;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>Source-generated JSON for the few values the controller writes into unknown fields.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class EndpointsJsonContext : JsonSerializerContext;
