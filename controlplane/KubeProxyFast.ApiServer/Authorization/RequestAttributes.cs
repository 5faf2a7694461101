using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Routing;
using KubeProxyFast.Api.Serialization;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Authorization;

/// <summary>
/// A request's <see cref="AuthorizationAttributes"/>, as Kubernetes' request-info resolver makes
/// them: the verb from the method (list and watch for collections, create for POST, the
/// subresource's own verbs for proxy), the group, resource, subresource, namespace and name from the
/// path, the name of a list or watch narrowed by <c>fieldSelector=metadata.name=…</c>, and the
/// field and label selectors of a list, watch or deletecollection.
/// </summary>
internal static class RequestAttributes
{
    /// <summary>The attributes of a request on a resource; <paramref name="apiVerb"/> is the dispatcher's (LIST, WATCH, GET, POST, …).</summary>
    public static AuthorizationAttributes ForResource(UserInfo user, HttpContext http, GroupVersion groupVersion, ApiPath path, string apiVerb)
    {
        var resource = path.IsBindingsCollection ? "bindings" : path.Resource!.Name;
        var name = path.Name ?? "";
        var collection = path.Name is null && apiVerb is "LIST" or "WATCH" or "DELETECOLLECTION";
        var fieldSelector = collection ? http.Request.Query["fieldSelector"].ToString() : "";
        if (path.Name is null && apiVerb is "LIST" or "WATCH" && NameFromFieldSelector(fieldSelector) is { } selected)
        {
            name = selected;
        }

        return new AuthorizationAttributes
        {
            User = user,
            Verb = path.Subresource == "proxy" ? MethodVerb(http.Request.Method) : ResourceVerb(apiVerb),
            IsResourceRequest = true,
            ApiGroup = groupVersion.Group,
            ApiVersion = groupVersion.Version,
            Resource = resource,
            Subresource = path.Subresource ?? "",
            Namespace = path.Namespace ?? "",
            Name = name,
            FieldSelector = fieldSelector,
            LabelSelector = collection ? http.Request.Query["labelSelector"].ToString() : "",
            Path = http.Request.Path.Value ?? "/",
        };
    }

    /// <summary>The attributes of a request on a path that names no resource (discovery, <c>/version</c>, <c>/healthz</c>, …).</summary>
    public static AuthorizationAttributes ForPath(UserInfo user, HttpContext http, string path) => new()
    {
        User = user,
        Verb = http.Request.Method.ToLowerInvariant(),
        IsResourceRequest = false,
        Path = path,
    };

    private static string ResourceVerb(string apiVerb) => apiVerb switch
    {
        "LIST" => "list",
        "WATCH" => "watch",
        "POST" => "create",
        "PUT" => "update",
        "DELETECOLLECTION" => "deletecollection",
        _ => apiVerb.ToLowerInvariant(),
    };

    /// <summary>The verb of a proxy request, as Kubernetes maps methods for subresources it does not know.</summary>
    private static string MethodVerb(string method) => method switch
    {
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => "delete",
        "HEAD" or "GET" => "get",
        _ => method.ToLowerInvariant(),
    };

    /// <summary>The name of <c>metadata.name=X</c> (or <c>==</c>) when it is the selector's only term, as Kubernetes reads it.</summary>
    private static string? NameFromFieldSelector(string selector)
    {
        if (selector.Length == 0 || selector.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var prefix in (string[])["metadata.name==", "metadata.name="])
        {
            if (selector.StartsWith(prefix, StringComparison.Ordinal))
            {
                return selector[prefix.Length..];
            }
        }

        return null;
    }
}
