using System.Text;
using System.Text.Json;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>Request bodies: size limit, JSON or YAML, and decoding into the kind the path names.</summary>
internal static class RequestBody
{
    /// <summary>Reads the whole body as JSON (YAML and protobuf are converted); 413 past <paramref name="limit"/> bytes.</summary>
    /// <exception cref="StatusException">
    /// 413 past the limit; 415 for a body that is neither JSON, YAML nor protobuf (CBOR), or a POST
    /// body that declares no Content-Type; 400 for a protobuf body that cannot be read.
    /// </exception>
    public static async Task<byte[]> ReadJsonAsync(HttpContext http, long limit)
    {
        var mediaType = MediaType(http.Request.ContentType);
        var yaml = mediaType is "application/yaml" or "application/x-yaml" or "text/yaml";
        var protobuf = mediaType == KubeEnvelope.MediaType;
        if (mediaType.Length == 0 && HttpMethods.IsPost(http.Request.Method))
        {
            // Kubernetes reads a body without Content-Type as JSON; for a POST that would let a web page's
            // fetch(..., {mode: "no-cors"}) write objects without a preflight, so a POST body must say what it is.
            // PUT and DELETE keep the lenience: a page can send neither without a preflight, and client-go's
            // scale client PUTs a Scale with no Content-Type (kubectl scale --current-replicas).
            throw StatusErrors.UnsupportedMediaType("");
        }

        if (!yaml && !protobuf && mediaType.Length > 0 && mediaType != "application/json" && !mediaType.EndsWith("+json", StringComparison.Ordinal))
        {
            throw StatusErrors.UnsupportedMediaType(http.Request.ContentType!);
        }

        if (http.Request.ContentLength > limit)
        {
            throw StatusErrors.TooLarge(limit);
        }

        var bytes = http.Request.ContentLength is { } length
            ? await ReadExactlyAsync(http, (int)length).ConfigureAwait(false)
            : await ReadToEndAsync(http, limit).ConfigureAwait(false);
        // Protobuf (typed client-go clients: kubectl create namespace) becomes JSON here, so one decode
        // path holds validation, defaults and errors for every encoding.
        var json = yaml ? YamlToJson(bytes) : protobuf ? ProtobufRequest.ToJson(bytes, limit) : bytes;
        CheckText(json);
        return json;
    }

    /// <summary>400 for a string that is not text or a null in a list, before any decoder reads it (see <see cref="JsonText"/>).</summary>
    private static void CheckText(byte[] json)
    {
        try
        {
            JsonText.Check(json);
        }
        catch (KubeDecodeException e)
        {
            throw StatusErrors.BadRequest($"the request body is not valid: {e.Message}");
        }
    }

    /// <summary>A body of known length: one array of that size, no copies.</summary>
    private static async Task<byte[]> ReadExactlyAsync(HttpContext http, int length)
    {
        var bytes = new byte[length];
        try
        {
            await http.Request.Body.ReadExactlyAsync(bytes, http.RequestAborted).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw StatusErrors.BadRequest($"the request body ended before its Content-Length of {length} bytes");
        }

        return bytes;
    }

    /// <summary>A chunked body: read through a pooled buffer up to the limit.</summary>
    private static async Task<byte[]> ReadToEndAsync(HttpContext http, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw StatusErrors.TooLarge(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>The media type without parameters, lower case; empty when absent.</summary>
    public static string MediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return "";
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }

    /// <summary>Decodes an object of <paramref name="resource"/>'s kind.</summary>
    public static KubeObject Decode(byte[] json, ResourceDefinition resource) => Decode(json, resource.Info);

    /// <summary>
    /// Decodes an object of <paramref name="info"/>'s kind (a resource's, or a subresource's such
    /// as Scale). A missing apiVersion or kind takes the path's; a different one is a 400 that names both.
    /// </summary>
    public static KubeObject Decode(byte[] json, KindInfo info)
    {
        var kind = info.Kind;
        var apiVersion = info.ApiVersion;
        if (json.Length == 0)
        {
            throw StatusErrors.BadRequest($"the request body is empty; expected a {kind} object");
        }

        try
        {
            CheckTypeFields(json, kind, apiVersion);
            var obj = KubeJson.Deserialize(json, info.Type);
            obj.Kind = kind;
            obj.ApiVersion = apiVersion;
            return obj;
        }
        catch (KubeDecodeException e)
        {
            throw StatusErrors.BadRequest($"the request body is not a valid {kind}: {e.Message}");
        }
    }

    /// <summary>Decodes a body of a type that is not an object kind (DeleteOptions, Binding).</summary>
    public static T DecodeOther<T>(byte[] json, string what)
        where T : class
    {
        try
        {
            return KubeJson.Deserialize<T>(json);
        }
        catch (KubeDecodeException e)
        {
            throw StatusErrors.BadRequest($"the request body is not a valid {what}: {e.Message}");
        }
    }

    /// <summary>
    /// Checks the top-level apiVersion and kind with one forward read, so the body is parsed once
    /// more only to decode it. Malformed JSON is reported by that decode, with line and column.
    /// </summary>
    private static void CheckTypeFields(byte[] json, string kind, string apiVersion)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                if (reader.TokenType is not JsonTokenType.None)
                {
                    throw StatusErrors.BadRequest($"the request body must be a JSON object (a {kind}), not {Describe(reader.TokenType)}");
                }

                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueTextEquals("kind"u8) ? "kind" : reader.ValueTextEquals("apiVersion"u8) ? "apiVersion" : null;
                reader.Read();
                if (field is not null && reader.TokenType != JsonTokenType.Null)
                {
                    var expected = field == "kind" ? kind : apiVersion;
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(expected))
                    {
                        var found = reader.TokenType == JsonTokenType.String ? "\"" + reader.GetString() + "\"" : reader.TokenType.ToString().ToLowerInvariant();
                        throw StatusErrors.BadRequest($"the {field} of the object ({found}) does not match the {field} of the request path (\"{expected}\")");
                    }
                }

                reader.TrySkip();
            }
        }
        catch (JsonException)
        {
            // Left to the decode, which says where.
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };

    private static byte[] YamlToJson(byte[] yaml)
    {
        IReadOnlyList<byte[]> documents;
        try
        {
            documents = YamlDocuments.ToJson(Encoding.UTF8.GetString(yaml));
        }
        catch (KubeDecodeException e)
        {
            throw StatusErrors.BadRequest($"the request body is not valid YAML: {e.Message}");
        }

        return documents.Count == 1
            ? documents[0]
            : throw StatusErrors.BadRequest($"the request body must hold exactly one YAML document, found {documents.Count}");
    }
}
