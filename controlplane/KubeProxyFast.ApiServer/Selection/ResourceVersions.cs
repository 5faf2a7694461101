using System.Globalization;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Selection;

/// <summary>
/// The revision a list or watch reads from: <c>resourceVersion</c> (null when absent; 0 means
/// "any") and whether it must be read exactly at that revision.
/// </summary>
/// <param name="Revision">The requested revision, or null when the client gave none.</param>
/// <param name="Exact">True to read at <paramref name="Revision"/> itself rather than at the current revision.</param>
internal readonly record struct ListVersion(long? Revision, bool Exact);

/// <summary>
/// <c>resourceVersion</c> and <c>resourceVersionMatch</c>, refused as Kubernetes refuses them:
/// the options' rules (apimachinery's <c>ValidateListOptions</c>) answer 422 on ListOptions, a
/// resourceVersion that is not a revision answers 400 "invalid resource version".
/// </summary>
internal static class ResourceVersions
{
    private const string Exact = "Exact";
    private const string NotOlderThan = "NotOlderThan";

    /// <summary>True when <paramref name="text"/> is a store revision (an unsigned decimal integer).</summary>
    public static bool TryParse(string text, out long revision) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out revision);

    /// <summary>The <c>resourceVersion</c> query parameter of a get, or null when absent.</summary>
    /// <exception cref="StatusException">400 when it is not a revision.</exception>
    public static long? ForGet(ApiContext context) =>
        context.Query("resourceVersion") is { } text ? Parse(text) : null;

    /// <summary>Validates the version options of a list (<paramref name="watch"/> false) or a watch.</summary>
    /// <exception cref="StatusException">422 when the options break Kubernetes' rules; 400 for a resourceVersion that is not a revision.</exception>
    public static ListVersion ForList(ApiContext context, bool watch)
    {
        var resourceVersion = context.Query("resourceVersion");
        var match = context.Query("resourceVersionMatch");
        var continued = context.Query("continue") is not null;
        var errors = watch
            ? WatchErrors(match, continued, context.HasQuery("sendInitialEvents"))
            : ListErrors(resourceVersion, match, continued, context.HasQuery("sendInitialEvents"));
        if (errors.Count > 0)
        {
            var status = ObjectValidation.ToStatus("ListOptions.meta.k8s.io", "", errors);
            status.Details!.Kind = "ListOptions";
            status.Details.Group = "meta.k8s.io";
            throw StatusErrors.Invalid(status);
        }

        if (resourceVersion is null)
        {
            return new ListVersion(null, false);
        }

        var revision = Parse(resourceVersion);
        if (continued && revision != 0)
        {
            throw StatusErrors.BadRequest("specifying resource version is not allowed when using continue");
        }

        // Kubernetes' legacy rule: a paged list from a non-zero resourceVersion without a match reads exactly there.
        var exact = match == Exact || (match is null && !watch && revision > 0 && (context.Integer("limit") ?? 0) > 0);
        return new ListVersion(revision, exact);
    }

    private static long Parse(string text) =>
        TryParse(text, out var revision) ? revision : throw StatusErrors.InvalidResourceVersion("resourceVersion", text);

    private static List<FieldError> ListErrors(string? resourceVersion, string? match, bool continued, bool sendInitialEvents)
    {
        var errors = new List<FieldError>();
        var field = FieldPath.Root("resourceVersionMatch");
        if (match is not null)
        {
            if (resourceVersion is null)
            {
                errors.Add(FieldError.Forbidden(field, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }

            if (continued)
            {
                errors.Add(FieldError.Forbidden(field, "resourceVersionMatch is forbidden when continue is provided"));
            }

            if (match is not (Exact or NotOlderThan))
            {
                errors.Add(FieldError.NotSupported(field, match, [Exact, NotOlderThan, ""]));
            }

            if (match == Exact && resourceVersion == "0")
            {
                errors.Add(FieldError.Forbidden(field, "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }

        if (sendInitialEvents)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("sendInitialEvents"), "sendInitialEvents is forbidden for list"));
        }

        return errors;
    }

    // This server has no watch-list (streamed initial events), so it answers as kube-apiserver
    // with the WatchList feature off; client-go then falls back to list and watch.
    private static List<FieldError> WatchErrors(string? match, bool continued, bool sendInitialEvents)
    {
        var errors = new List<FieldError>();
        var field = FieldPath.Root("resourceVersionMatch");
        if (sendInitialEvents)
        {
            if (match != NotOlderThan)
            {
                errors.Add(FieldError.Forbidden(field, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
            }

            errors.Add(FieldError.Forbidden(FieldPath.Root("sendInitialEvents"), "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"));
        }

        if (match is not null)
        {
            if (!sendInitialEvents)
            {
                errors.Add(FieldError.Forbidden(field, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }

            if (match != NotOlderThan)
            {
                errors.Add(FieldError.NotSupported(field, match, [NotOlderThan]));
            }

            if (continued)
            {
                errors.Add(FieldError.Forbidden(field, "resourceVersionMatch is forbidden when continue is provided"));
            }
        }

        return errors;
    }

    /// <summary>
    /// The store's current revision under <paramref name="prefix"/>, or 504 "Too large resource
    /// version" when <paramref name="revision"/> is past it: a read or watch would otherwise wait
    /// for a revision that may never come, where Kubernetes answers so that the client retries.
    /// </summary>
    public static async Task<long> ThrowIfAheadAsync(IStore store, string prefix, long revision, CancellationToken cancellationToken)
    {
        var current = await store.ListAsync(prefix, new StoreListOptions { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return revision > current.Revision ? throw StatusErrors.TooLargeResourceVersion(revision, current.Revision) : current.Revision;
    }
}
