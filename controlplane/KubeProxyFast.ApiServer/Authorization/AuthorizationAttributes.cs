using KubeProxyFast.ApiServer.Authentication;

namespace KubeProxyFast.ApiServer.Authorization;

/// <summary>
/// What a request asks to do, as Kubernetes' <c>authorizer.Attributes</c>: a resource request
/// (verb on group/resource/subresource, in a namespace, on a name) or a non-resource one (verb on
/// a path). Verbs are Kubernetes' lowercase ones: get, list, watch, create, update, patch,
/// delete, deletecollection (resource requests; also impersonate, bind, escalate, approve, sign
/// when a component checks them) or the HTTP method in lowercase (non-resource requests).
/// </summary>
public sealed record AuthorizationAttributes
{
    /// <summary>Who asks.</summary>
    public required UserInfo User { get; init; }

    /// <summary>The verb.</summary>
    public required string Verb { get; init; }

    /// <summary>True for a request on a resource, false for one on a path (<see cref="Path"/>).</summary>
    public bool IsResourceRequest { get; init; }

    /// <summary>The API group; empty for the core group.</summary>
    public string ApiGroup { get; init; } = "";

    /// <summary>The API version (informational: RBAC does not match on it).</summary>
    public string ApiVersion { get; init; } = "";

    /// <summary>The resource (plural), e.g. <c>pods</c>.</summary>
    public string Resource { get; init; } = "";

    /// <summary>The subresource, e.g. <c>status</c>; empty for the object itself.</summary>
    public string Subresource { get; init; } = "";

    /// <summary>The namespace; empty for cluster-scoped resources and requests across namespaces.</summary>
    public string Namespace { get; init; } = "";

    /// <summary>The object's name; empty for collections (and for create, where the name is in the body).</summary>
    public string Name { get; init; } = "";

    /// <summary>
    /// The <c>fieldSelector</c> of a list, watch or deletecollection, as sent (e.g.
    /// <c>spec.nodeName=n1</c>); empty otherwise. The Node authorizer lets a kubelet list its own pods by it.
    /// </summary>
    public string FieldSelector { get; init; } = "";

    /// <summary>The <c>labelSelector</c> of a list, watch or deletecollection, as sent; empty otherwise.</summary>
    public string LabelSelector { get; init; } = "";

    /// <summary>The request path, for non-resource requests.</summary>
    public string Path { get; init; } = "";

    /// <summary>The resource with its subresource as RBAC rules name it: <c>pods</c>, <c>pods/status</c>.</summary>
    public string ResourceWithSubresource => Subresource.Length == 0 ? Resource : Resource + "/" + Subresource;
}
