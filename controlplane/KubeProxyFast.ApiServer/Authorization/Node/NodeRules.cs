namespace KubeProxyFast.ApiServer.Authorization.Node;

/// <summary>
/// What every kubelet may do regardless of the graph, as Kubernetes' <c>system:node</c> rules
/// (<c>NodeRules</c> in its bootstrap policy) for the resources we serve: read Services and
/// Endpoints, write Events, review tokens and access for its own API (delegated authentication
/// and authorization on :10250), request and watch its certificates, and read the client CA that
/// <c>kube-system/extension-apiserver-authentication</c> publishes.
/// </summary>
internal static class NodeRules
{
    /// <summary>The ConfigMap where the apiserver publishes the client CA, read by kubelets to authenticate callers.</summary>
    public const string AuthenticationConfigMap = "extension-apiserver-authentication";

    private static readonly Rule[] Rules =
    [
        new("", "services", "", ["get", "list", "watch"]),
        // Kubernetes' nodes only get Endpoints; here the agent's kube-proxy runs as its node (k3s gives
        // it an identity of its own), and it lists and watches every Service's Endpoints.
        new("", "endpoints", "", ["get", "list", "watch"]),
        new("", "events", "", ["create", "update", "patch"]),
        new("authentication.k8s.io", "tokenreviews", "", ["create"]),
        new("authorization.k8s.io", "subjectaccessreviews", "", ["create"]),
        new("authorization.k8s.io", "localsubjectaccessreviews", "", ["create"]),
        new("certificates.k8s.io", "certificatesigningrequests", "", ["create", "get", "list", "watch"]),
        // Certificate rotation: a kubelet asks for its own client certificate (kube-controller-manager's approver checks this subresource).
        new("certificates.k8s.io", "certificatesigningrequests", "selfnodeclient", ["create"]),
    ];

    /// <summary>True when a fixed rule allows <paramref name="attributes"/>.</summary>
    public static bool Allow(AuthorizationAttributes attributes)
    {
        foreach (var rule in Rules)
        {
            if (rule.Group == attributes.ApiGroup && rule.Resource == attributes.Resource && rule.Subresource == attributes.Subresource
                && Array.IndexOf(rule.Verbs, attributes.Verb) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A read of <c>kube-system/extension-apiserver-authentication</c> (a get, or a list or watch narrowed to its name).</summary>
    public static bool IsAuthenticationConfigMap(AuthorizationAttributes attributes) =>
        attributes.Verb is "get" or "list" or "watch" && attributes.Subresource.Length == 0
        && attributes.Namespace == "kube-system" && attributes.Name == AuthenticationConfigMap;

    /// <summary>
    /// True when <paramref name="fieldSelector"/> has the term <c>spec.nodeName=<paramref name="node"/></c>
    /// (or <c>==</c>): whatever else it says, the result holds only that node's pods, as Kubernetes' check of
    /// the parsed requirements. Read in place: no allocation.
    /// </summary>
    public static bool SelectsNode(string fieldSelector, string node)
    {
        const string Field = "spec.nodeName";
        var rest = fieldSelector.AsSpan();
        while (rest.Length > 0)
        {
            var comma = rest.IndexOf(',');
            var term = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            if (!term.StartsWith(Field, StringComparison.Ordinal))
            {
                continue;
            }

            var value = term[Field.Length..];
            value = value.StartsWith("==", StringComparison.Ordinal) ? value[2..]
                : value.StartsWith('=') ? value[1..]
                : [];
            if (value.Length > 0 && value.Trim().SequenceEqual(node))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Rule(string Group, string Resource, string Subresource, string[] Verbs);
}
