using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Rbac;

/// <summary>
/// rbac.authorization.k8s.io/v1 PolicyRule: the verbs allowed on resources of API groups
/// (optionally on named objects only), or on non-resource URLs. <c>*</c> matches any value.
/// </summary>
public sealed class PolicyRule : Extensible
{
    /// <summary>The verbs allowed (<c>get</c>, <c>list</c>, <c>create</c>, …, or <c>*</c>).</summary>
    public List<string>? Verbs { get; set; }

    /// <summary>The API groups of the resources (<c>""</c> is the core group, <c>*</c> any group).</summary>
    public List<string>? ApiGroups { get; set; }

    /// <summary>The resources (<c>pods</c>, <c>pods/status</c>, <c>*/scale</c>, <c>*</c>).</summary>
    public List<string>? Resources { get; set; }

    /// <summary>When not empty, only the objects of these names (never a list, watch or create, which name none).</summary>
    public List<string>? ResourceNames { get; set; }

    /// <summary>Non-resource paths (<c>/healthz</c>, or a prefix ending in <c>*</c>); only in ClusterRoles, never with resources.</summary>
    public List<string>? NonResourceURLs { get; set; }
}
