using System.Text.Json.Serialization;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>
/// Source-generated metadata for the Table wire types, with the API's conventions: camelCase,
/// nulls omitted, RFC 3339 times. Cells are <see cref="object"/>s, so their runtime types
/// (string, long) are registered too.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(Rfc3339TimeJsonConverter)])]
[JsonSerializable(typeof(Table))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
internal sealed partial class TableJsonContext : JsonSerializerContext;
