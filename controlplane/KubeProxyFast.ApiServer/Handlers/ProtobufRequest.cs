using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.ApiServer.Errors;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>
/// Request bodies in <c>application/vnd.kubernetes.protobuf</c>: the <c>k8s\0</c> envelope names
/// the kind, whose message is written as the JSON a Go client would send, with <c>kind</c> and
/// <c>apiVersion</c> first; the JSON path then checks them against the path and decodes.
/// </summary>
internal static class ProtobufRequest
{
    /// <summary>
    /// The JSON may be at most this many times the body limit: a protobuf field of two bytes can
    /// become a property of some tens (its name), so the bound keeps what a body costs in proportion.
    /// </summary>
    private const int JsonExpansion = 4;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Our own decoder reads it: non-ASCII text stays as it is rather than growing to \uXXXX six times over.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>The body as JSON; 400 naming what is wrong when it cannot be read.</summary>
    public static byte[] ToJson(byte[] body, long limit)
    {
        string apiVersion, kind;
        ReadOnlySpan<byte> raw;
        try
        {
            raw = KubeEnvelope.Read(body, out apiVersion, out kind);
        }
        catch (ProtoDecodeException e)
        {
            throw StatusErrors.BadRequest($"the request body is not a valid protobuf object: {e.Message}");
        }

        if (kind.Length == 0 || apiVersion.Length == 0)
        {
            throw StatusErrors.BadRequest("the protobuf request body does not name its kind and apiVersion (runtime.Unknown typeMeta)");
        }

        var message = ProtoKinds.Find(apiVersion, kind)
            ?? throw StatusErrors.BadRequest($"no kind \"{kind}\" is registered for version \"{apiVersion}\" in protobuf");
        var json = new ArrayBufferWriter<byte>(Math.Max(256, raw.Length * 2));
        try
        {
            using var writer = new Utf8JsonWriter(json, WriterOptions);
            ProtoToJson.Write(raw, message, writer, limit * JsonExpansion, w =>
            {
                w.WriteString("kind"u8, kind);
                w.WriteString("apiVersion"u8, apiVersion);
            });
        }
        catch (ProtoDecodeException e)
        {
            throw StatusErrors.BadRequest($"the request body is not a valid protobuf {kind}: {e.Message}");
        }

        return json.WrittenSpan.ToArray();
    }
}
