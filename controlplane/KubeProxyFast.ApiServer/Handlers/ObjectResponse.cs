using System.Buffers;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Printing;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Watch;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>Objects and lists in the response form the client asked for.</summary>
internal static class ObjectResponse
{
    /// <summary>An object, or its one-row Table when the client asked for one (kubectl get of one name).</summary>
    public static Task WriteAsync(ApiContext context, int code, KubeObject obj)
    {
        if (HttpMethods.IsGet(context.Http.Request.Method) && context.TableRequest() is { } options)
        {
            return WriteTableAsync(context, context.Printer.Print(context.Resource.Name, [obj], options), options.GroupVersion);
        }

        return ResponseWriter.WriteObjectAsync(context.Http, code, obj);
    }

    /// <summary>
    /// Writes <c>{"kind":"PodList","apiVersion":"v1","metadata":{…},"items":[…]}</c> (the resource's own apiVersion) straight
    /// from the stored bytes.
    /// </summary>
    public static async Task WriteListAsync(ApiContext context, ResourceDefinition resource, ListPage page, DecodedObjects objects)
    {
        if (context.TableRequest() is { } options)
        {
            var rows = new KubeObject[page.Items.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = page.Items[i].Decoded ?? objects.Get(page.Items[i].Value, page.Revision);
            }

            var listed = options with
            {
                ResourceVersion = page.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Continue = page.Continue,
            };
            await WriteTableAsync(context, context.Printer.Print(resource.Name, rows, listed), options.GroupVersion).ConfigureAwait(false);
            return;
        }

        if (ContentNegotiation.For(context.Http) == ResponseFormat.Protobuf)
        {
            await ProtobufResponse.WriteListAsync(context.Http, resource, page, objects).ConfigureAwait(false);
            return;
        }

        ResponseWriter.Start(context.Http, 200);
        var output = context.Http.Response.BodyWriter;
        WriteListHead(output, resource, page);
        await WriteItemsAsync(output, page, 0, context.Aborted).ConfigureAwait(false);
        Write(output, "]}\n"u8);
        await output.FlushAsync(context.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the page's items as stored (with their resourceVersion), comma-separated after the
    /// <paramref name="before"/> items already written, flushing every 64 KiB; the count written in all.
    /// </summary>
    public static async Task<int> WriteItemsAsync(System.IO.Pipelines.PipeWriter output, ListPage page, int before, CancellationToken cancellationToken)
    {
        foreach (var item in page.Items)
        {
            if (before++ > 0)
            {
                Write(output, ","u8);
            }

            ObjectCodec.WriteWithResourceVersion(output, item.Value.Value.Span, item.Value.ModRevision);
            if (output.UnflushedBytes > 64 * 1024)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return before;
    }

    private static async Task WriteTableAsync(ApiContext context, Table table, string groupVersion)
    {
        ResponseWriter.Start(context.Http, 200);
        context.Http.Response.ContentType = TableAccept.ContentType(groupVersion);
        using (var writer = KubeJson.CreateWriter(context.Http.Response.BodyWriter))
        {
            TableJson.Serialize(writer, table);
        }

        ResponseWriter.EndBody(context.Http.Response.BodyWriter);
        await context.Http.Response.BodyWriter.FlushAsync(context.Aborted).ConfigureAwait(false);
    }

    private static void WriteListHead(IBufferWriter<byte> output, ResourceDefinition resource, ListPage page)
    {
        using var writer = KubeJson.CreateWriter(output);
        writer.WriteStartObject();
        writer.WriteString("kind", resource.ListKind);
        writer.WriteString("apiVersion", resource.ApiVersion);
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", page.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (page.Continue is not null)
        {
            writer.WriteString("continue", page.Continue);
        }

        if (page.RemainingItemCount is { } remaining)
        {
            writer.WriteNumber("remainingItemCount", remaining);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("items");
        writer.Flush();
        Write(output, "["u8);
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
