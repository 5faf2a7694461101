using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Authorization;

/// <summary>authorization.k8s.io/v1 ResourceAttributes: a request on a resource, as an authorizer sees it.</summary>
public sealed class ResourceAttributes : Extensible
{
    /// <summary>The namespace of the action; empty for cluster-scoped resources and for "all namespaces".</summary>
    public string? Namespace { get; set; }

    /// <summary>A Kubernetes resource verb (get, list, watch, create, update, patch, delete, deletecollection, impersonate, …), or <c>*</c>.</summary>
    public string? Verb { get; set; }

    /// <summary>The API group of the resource; empty for the core group, <c>*</c> for all.</summary>
    public string? Group { get; set; }

    /// <summary>The API version of the resource (informational: RBAC does not match on it).</summary>
    public string? Version { get; set; }

    /// <summary>The resource (plural), or <c>*</c>.</summary>
    public string? Resource { get; set; }

    /// <summary>The subresource; empty for the object itself.</summary>
    public string? Subresource { get; set; }

    /// <summary>The object's name; empty for every object (list, create).</summary>
    public string? Name { get; set; }
}

/// <summary>authorization.k8s.io/v1 NonResourceAttributes: a request on a path that names no resource.</summary>
public sealed class NonResourceAttributes : Extensible
{
    /// <summary>The URL path, e.g. <c>/healthz</c>.</summary>
    public string? Path { get; set; }

    /// <summary>The lowercase HTTP method, e.g. <c>get</c>.</summary>
    public string? Verb { get; set; }
}
