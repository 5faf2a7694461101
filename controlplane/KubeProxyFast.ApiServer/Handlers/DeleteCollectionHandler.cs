using System.Globalization;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Selection;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>
/// <c>DELETE</c> on a collection (<c>deletecollection</c>), as kube-apiserver's registry does it:
/// the objects the label and field selectors pick, listed page by page at the first page's
/// revision, each deleted as a single delete of its kind would delete it (pods gracefully), with
/// the same DeleteOptions (a dry run deletes nothing); one already gone is skipped. The answer is the list of the objects as
/// listed; with a <c>limit</c>, only that first page is deleted and answered, with its continue token.
/// </summary>
/// <remarks>
/// Each page is deleted before it is written, and written before the next is read, so a request
/// holds one page (<see cref="PageSize"/> objects) whatever the collection's size, where
/// Kubernetes gathers every item into one answer. A failure on the first page is a Status; on a
/// later one the answer has started, so the connection is cut, as for a failed watch.
/// </remarks>
internal sealed class DeleteCollectionHandler
{
    /// <summary>Objects read and deleted at a time.</summary>
    public const int PageSize = 500;

    private readonly ObjectHandlers _objects;
    private readonly ListHandler _lists;

    public DeleteCollectionHandler(ObjectHandlers objects, ListHandler lists)
    {
        _objects = objects;
        _lists = lists;
    }

    public async Task DeleteCollectionAsync(ApiContext context)
    {
        var query = ListQuery.Parse(context);
        var limit = context.Integer("limit") ?? 0;
        var options = await _objects.ReadDeleteOptionsAsync(context).ConfigureAwait(false);
        var dryRun = ObjectHandlers.DryRun(context, options);
        var pageSize = limit > 0 ? (int)Math.Min(limit, int.MaxValue) : PageSize;
        var resource = query.Resource;
        var output = context.Http.Response.BodyWriter;
        long revision = 0;
        string? startAfter = null;
        if (context.Query("continue") is { } token)
        {
            // The next page of a limited deletecollection, as a LIST continues (Kubernetes passes it to its list).
            (revision, startAfter) = ContinueToken.Decode(token, query.Prefix);
        }

        var started = false;
        var written = 0;
        while (true)
        {
            var page = await _lists.ReadPageAsync(query, pageSize, revision, startAfter, context.Aborted).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                await DeleteAsync(context, item, options, dryRun).ConfigureAwait(false);
            }

            var last = limit > 0 || page.Continue is null;
            if (!started)
            {
                ResponseWriter.Start(context.Http, 200);
                WriteHead(output, resource, page.Revision, limit > 0 ? page.Continue : null);
                started = true;
            }

            written = await ObjectResponse.WriteItemsAsync(output, page, written, context.Aborted).ConfigureAwait(false);
            if (last)
            {
                break;
            }

            revision = page.Revision;
            startAfter = page.Items.Count > 0 ? page.Items[^1].Value.Key : startAfter;
        }

        Write(output, "]}\n"u8);
        await output.FlushAsync(context.Aborted).ConfigureAwait(false);
    }

    private async Task DeleteAsync(ApiContext context, ListItem item, Api.Meta.DeleteOptions options, bool dryRun)
    {
        var name = item.Decoded?.Metadata.Name ?? NameOf(context.Resource, item.Value.Key, context.Namespace);
        try
        {
            await _objects.DeleteOneAsync(context, name, options, dryRun).ConfigureAwait(false);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            // Deleted meanwhile: what was asked is done.
        }
    }

    /// <summary>The object's name from its key, <c>/registry/&lt;resource&gt;/[&lt;namespace&gt;/]&lt;name&gt;</c>: no decode needed.</summary>
    private static string NameOf(ResourceDefinition resource, string key, string? ns) => key[resource.Prefix(ns).Length..];

    private static void WriteHead(System.IO.Pipelines.PipeWriter output, ResourceDefinition resource, long revision, string? next)
    {
        using var writer = KubeJson.CreateWriter(output);
        writer.WriteStartObject();
        writer.WriteString("kind", resource.ListKind);
        writer.WriteString("apiVersion", resource.ApiVersion);
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", revision.ToString(CultureInfo.InvariantCulture));
        if (next is not null)
        {
            writer.WriteString("continue", next);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("items");
        writer.Flush();
        Write(output, "["u8);
    }

    private static void Write(System.IO.Pipelines.PipeWriter output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
