using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Routing;

/// <summary>
/// A request path under a group version's prefix (<c>/api/v1</c>, <c>/apis/{group}/{version}</c>),
/// taken apart as Kubernetes' request-info resolver does:
/// <c>{prefix}/namespaces/{ns}/{resource}/{name}/{subresource}/{rest…}</c> for namespaced
/// resources, <c>{prefix}/{resource}/{name}/{subresource}/{rest…}</c> for cluster-scoped ones and
/// for lists across all namespaces.
/// </summary>
/// <param name="Resource">The resource, or null for the group's discovery document.</param>
/// <param name="Namespace">The namespace of a namespaced request; null across namespaces.</param>
/// <param name="Name">The object's name, or null for the collection.</param>
/// <param name="Subresource">e.g. <c>status</c>, <c>scale</c>, <c>proxy</c>; null for the object itself.</param>
/// <param name="Rest">What follows a proxy subresource (the path to forward, without a leading slash).</param>
internal sealed record ApiPath(ResourceDefinition? Resource, string? Namespace, string? Name, string? Subresource, string? Rest)
{
    /// <summary>The namespaced collection of bindings (<c>POST /namespaces/{ns}/bindings</c>), the old way to bind a pod.</summary>
    public bool IsBindingsCollection { get; init; }

    /// <summary>Parses the part after <paramref name="groupVersion"/>'s prefix; null when it names nothing this server serves.</summary>
    public static ApiPath? Parse(GroupVersion groupVersion, string path)
    {
        var segments = path.Split('/', StringSplitOptions.None);
        // "" or "/" → discovery; segments[0] is "" because the path starts with '/'.
        var parts = segments.Length > 0 && segments[0].Length == 0 ? segments[1..] : segments;
        if (parts.Length == 0 || (parts.Length == 1 && parts[0].Length == 0))
        {
            return new ApiPath(null, null, null, null, null);
        }

        if (parts[0] == "namespaces" && parts.Length >= 3)
        {
            if (groupVersion.IsCore && parts[2] == "bindings" && parts.Length == 3)
            {
                return new ApiPath(Resources.Pods, parts[1], null, null, null) { IsBindingsCollection = true };
            }

            if (Resources.Find(groupVersion, parts[2]) is { Namespaced: true } namespaced)
            {
                return Build(namespaced, parts[1], parts[3..]);
            }
        }

        var resource = Resources.Find(groupVersion, parts[0]);
        return resource is null ? null : Build(resource, null, parts[1..]);
    }

    private static ApiPath? Build(ResourceDefinition resource, string? ns, string[] rest)
    {
        if (rest.Length > 0 && rest[^1].Length == 0 && !(rest.Length >= 2 && rest[1] == "proxy"))
        {
            // A trailing slash: /api/v1/pods/ is the collection.
            rest = rest[..^1];
        }

        if (rest.Length == 0)
        {
            return new ApiPath(resource, ns, null, null, null);
        }

        if (rest[0].Length == 0)
        {
            return null;
        }

        if (rest.Length == 1)
        {
            return new ApiPath(resource, ns, rest[0], null, null);
        }

        var sub = rest[1];
        if (sub == "proxy")
        {
            return new ApiPath(resource, ns, rest[0], sub, string.Join('/', rest[2..]));
        }

        return rest.Length == 2 ? new ApiPath(resource, ns, rest[0], sub, null) : null;
    }
}
