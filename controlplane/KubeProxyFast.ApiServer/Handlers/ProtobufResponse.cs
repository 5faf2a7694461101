using System.Buffers.Text;
using System.IO.Pipelines;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Watch;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>
/// Responses in <c>application/vnd.kubernetes.protobuf</c>: objects, lists and Status transcoded
/// from their JSON form (stored bytes go straight to protobuf, with no object model in between)
/// and wrapped in the <c>k8s\0</c> envelope.
/// </summary>
internal static class ProtobufResponse
{
    /// <summary>Bytes of the response written between flushes, as the JSON list writer flushes.</summary>
    private const int FlushBytes = 64 * 1024;

    /// <summary>Writes an object given as JSON; <paramref name="resourceVersion"/> above zero is set as its metadata's.</summary>
    public static async Task WriteObjectAsync(HttpContext http, int code, ReadOnlyMemory<byte> json, string apiVersion, string kind, long resourceVersion = 0)
    {
        using var output = Encode(json.Span, apiVersion, kind, resourceVersion);
        Start(http, code);
        await CopyAsync(http.Response.BodyWriter, output.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes a model object.</summary>
    public static Task WriteObjectAsync(HttpContext http, int code, KubeObject obj) =>
        WriteObjectAsync(http, code, KubeJson.SerializeObject(obj), obj.ApiVersion ?? "v1", obj.Kind ?? throw new InvalidOperationException("an object without kind"));

    /// <summary>Writes a Status (its kind and apiVersion are meta/v1's: <c>Status</c>, <c>v1</c>).</summary>
    public static Task WriteStatusAsync(HttpContext http, Status status) =>
        WriteObjectAsync(http, status.Code ?? 500, KubeJson.SerializeToUtf8Bytes(status), "v1", "Status");

    /// <summary>The envelope around <paramref name="json"/>'s protobuf form, in a pooled buffer the caller disposes.</summary>
    public static ProtoOutput Encode(ReadOnlySpan<byte> json, string apiVersion, string kind, long resourceVersion = 0)
    {
        var message = ProtoKinds.Find(apiVersion, kind) ?? throw StatusErrors.NotProtobuf($"{kind} ({apiVersion})");
        var output = new ProtoOutput(KubeEnvelope.Gap, json.Length + KubeEnvelope.Gap);
        try
        {
            JsonToProto.Write(json, message, output, resourceVersion);
            KubeEnvelope.Wrap(output, apiVersion, kind);
            return output;
        }
        catch (ProtoDecodeException e)
        {
            output.Dispose();
            throw StatusErrors.Internal($"{kind} cannot be encoded as protobuf: {e.Message}");
        }
    }

    /// <summary>
    /// A LIST: <c>{metadata = 1 (ListMeta), items = 2}</c> of the stored objects, each with its
    /// revision; an item's message comes from <paramref name="objects"/>, transcoded once per revision.
    /// </summary>
    public static async Task WriteListAsync(HttpContext http, ResourceDefinition resource, ListPage page, DecodedObjects objects)
    {
        var apiVersion = resource.ApiVersion;
        var listKind = resource.ListKind;
        var list = ProtoKinds.Find(apiVersion, listKind) ?? throw StatusErrors.NotProtobuf(listKind);
        var item = ProtoKinds.Find(apiVersion, resource.Kind)!;
        var metadata = list.ByName("metadata")!;
        var items = list.ByName("items")!;
        var listMeta = metadata.Message;
        using var output = new ProtoOutput(KubeEnvelope.Gap, Math.Max(4096, page.Items.Count * 1024));
        try
        {
            output.BeginLengthDelimited(metadata.Number);
            Span<byte> digits = stackalloc byte[20];
            Utf8Formatter.TryFormat(page.Revision, digits, out var written);
            output.WriteBytesField(listMeta.ByName("resourceVersion")!.Number, digits[..written]);
            if (page.Continue is not null)
            {
                output.WriteBytesField(listMeta.ByName("continue")!.Number, System.Text.Encoding.UTF8.GetBytes(page.Continue));
            }

            if (page.RemainingItemCount is { } remaining)
            {
                output.WriteVarintField(listMeta.ByName("remainingItemCount")!.Number, (ulong)remaining);
            }

            output.EndLengthDelimited();
            foreach (var listed in page.Items)
            {
                output.WriteBytesField(items.Number, objects.Encoded(listed.Value, page.Revision, item));
            }

            KubeEnvelope.Wrap(output, apiVersion, listKind);
        }
        catch (ProtoDecodeException e)
        {
            throw StatusErrors.Internal($"{listKind} cannot be encoded as protobuf: {e.Message}");
        }

        Start(http, 200);
        await CopyAsync(http.Response.BodyWriter, output.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Sets the code and the protobuf content type.</summary>
    public static void Start(HttpContext http, int code)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = KubeEnvelope.MediaType;
        http.Response.Headers.CacheControl = "no-cache, private";
    }

    private static async Task CopyAsync(PipeWriter output, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var chunk = bytes[..Math.Min(bytes.Length, FlushBytes)];
            chunk.Span.CopyTo(output.GetSpan(chunk.Length));
            output.Advance(chunk.Length);
            bytes = bytes[chunk.Length..];
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
