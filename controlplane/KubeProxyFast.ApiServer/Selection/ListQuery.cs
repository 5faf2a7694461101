using KubeProxyFast.Api.Labels;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Selection;

/// <summary>
/// What a list or watch selects: labels, fields, the narrowest key prefix that covers them, and
/// the revision it reads from.
/// </summary>
internal sealed class ListQuery
{
    private ListQuery(ResourceDefinition resource, Selector labels, FieldSelector fields, string prefix, ListVersion version)
    {
        Resource = resource;
        Labels = labels;
        Fields = fields;
        Prefix = prefix;
        Version = version;
    }

    public ResourceDefinition Resource { get; }

    public Selector Labels { get; }

    public FieldSelector Fields { get; }

    /// <summary>The store prefix to read.</summary>
    public string Prefix { get; }

    /// <summary>The validated <c>resourceVersion</c> and <c>resourceVersionMatch</c>.</summary>
    public ListVersion Version { get; }

    /// <summary>True when every object under <see cref="Prefix"/> is selected (no decode needed).</summary>
    public bool SelectsAll => Labels.IsEmpty && Fields.IsEmpty;

    /// <summary>
    /// Parses labelSelector, fieldSelector and the version options; 400 naming what is wrong,
    /// 422 for version options that break Kubernetes' rules.
    /// </summary>
    public static ListQuery Parse(ApiContext context)
    {
        var resource = context.Resource;
        var version = ResourceVersions.ForList(context, watch: context.Verb == "WATCH");
        Selector labels;
        try
        {
            labels = context.Query("labelSelector") is { } text ? Selector.Parse(text) : Selector.Everything;
        }
        catch (SelectorParseException e)
        {
            throw StatusErrors.BadRequest($"unable to parse requirement: {e.Message}");
        }

        var fields = FieldSelector.Parse(context.Query("fieldSelector"), resource);
        var ns = context.Namespace ?? (resource.Namespaced ? fields.RequiredValue("metadata.namespace") : null);
        var prefix = resource.Prefix(ns);
        // A selected name narrows the read to keys starting with it (kubectl delete --wait watches one object this way).
        if (fields.RequiredValue("metadata.name") is { Length: > 0 } name && (ns is not null || !resource.Namespaced))
        {
            prefix = resource.Key(ns, name);
        }

        return new ListQuery(resource, labels, fields, prefix, version);
    }

    /// <summary>True when <paramref name="obj"/> is selected.</summary>
    public bool Matches(KubeObject obj) =>
        Labels.Matches(obj.Metadata.Labels) && Fields.Matches(Resource, obj);
}
