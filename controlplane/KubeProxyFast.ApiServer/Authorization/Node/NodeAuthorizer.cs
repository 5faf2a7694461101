using KubeProxyFast.ApiServer.Security;

namespace KubeProxyFast.ApiServer.Authorization.Node;

/// <summary>
/// Kubernetes' Node authorization mode: a kubelet (<c>system:node:&lt;name&gt;</c> in
/// <c>system:nodes</c>) may read the Secrets and ConfigMaps its pods refer to, its own pods,
/// every Node, and write its own Node, its own Lease and its own pods' status — judged on the
/// <see cref="NodeGraph"/> — plus the fixed rules of <see cref="NodeRules"/>. Anything else, and
/// every request of a user that is not a node, gets no opinion: RBAC decides (and its default
/// policy binds nothing to <c>system:nodes</c>). What the authorizer cannot see (the name inside a
/// create's body, labels) is NodeRestriction admission's to check.
/// </summary>
internal sealed class NodeAuthorizer : IAuthorizer
{
    /// <summary>Where kubelets keep their heartbeat Leases.</summary>
    public const string NodeLeaseNamespace = "kube-node-lease";

    private readonly NodeGraph _graph;
    private readonly ResourceMirror _pods;

    /// <param name="graph">The pod edges.</param>
    /// <param name="pods">The mirror that feeds <paramref name="graph"/>; requests that need the graph wait for its first list.</param>
    public NodeAuthorizer(NodeGraph graph, ResourceMirror pods)
    {
        _graph = graph;
        _pods = pods;
    }

    /// <inheritdoc/>
    public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.User.NodeName is not { } node || !attributes.IsResourceRequest)
        {
            return ValueTask.FromResult(AuthorizationDecision.NoOpinion());
        }

        return (attributes.ApiGroup, attributes.Resource) switch
        {
            ("", "secrets") => WithGraphAsync(GraphQuestion.Secret, node, attributes, cancellationToken),
            ("", "configmaps") when NodeRules.IsAuthenticationConfigMap(attributes) => ValueTask.FromResult(AuthorizationDecision.Allowed()),
            ("", "configmaps") => WithGraphAsync(GraphQuestion.ConfigMap, node, attributes, cancellationToken),
            ("", "pods") => WithGraphAsync(GraphQuestion.Pod, node, attributes, cancellationToken),
            ("", "nodes") => ValueTask.FromResult(AuthorizeNode(node, attributes)),
            ("coordination.k8s.io", "leases") => ValueTask.FromResult(AuthorizeLease(node, attributes)),
            _ => ValueTask.FromResult(NodeRules.Allow(attributes) ? AuthorizationDecision.Allowed() : AuthorizationDecision.NoOpinion()),
        };
    }

    /// <summary>Judges with the graph, once the pods have been listed (a fresh server answers after its first list, not before).</summary>
    private ValueTask<AuthorizationDecision> WithGraphAsync(GraphQuestion question, string node, AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        return _pods.HasSynced ? ValueTask.FromResult(Judge(question, node, attributes)) : AfterSyncAsync();

        async ValueTask<AuthorizationDecision> AfterSyncAsync()
        {
            await _pods.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
            return Judge(question, node, attributes);
        }
    }

    private AuthorizationDecision Judge(GraphQuestion question, string node, AuthorizationAttributes attributes) => question switch
    {
        GraphQuestion.Secret => ReadReferenced(ReferencedKind.Secret, node, attributes),
        GraphQuestion.ConfigMap => ReadReferenced(ReferencedKind.ConfigMap, node, attributes),
        _ => AuthorizePod(node, attributes),
    };

    /// <summary>
    /// get, and list or watch narrowed to one name (<c>fieldSelector=metadata.name=…</c>, a
    /// kubelet's per-object watch), of an object a pod bound to the node refers to.
    /// </summary>
    private AuthorizationDecision ReadReferenced(ReferencedKind kind, string node, AuthorizationAttributes a)
    {
        if (a.Verb is not ("get" or "list" or "watch"))
        {
            return AuthorizationDecision.NoOpinion("can only read resources of this type");
        }

        if (a.Subresource.Length > 0)
        {
            return AuthorizationDecision.NoOpinion("cannot read subresource");
        }

        if (a.Namespace.Length == 0)
        {
            return AuthorizationDecision.NoOpinion("can only read namespaced object of this type");
        }

        if (a.Name.Length == 0)
        {
            return AuthorizationDecision.NoOpinion("No Object name found");
        }

        return _graph.IsReferenced(kind, a.Namespace, a.Name, node) ? AuthorizationDecision.Allowed() : NoRelationship(node);
    }

    private AuthorizationDecision AuthorizePod(string node, AuthorizationAttributes a)
    {
        switch (a.Subresource, a.Verb)
        {
            case ("", "get"):
            case ("", "delete"):
            case ("status", "update" or "patch"):
            case ("eviction", "create"):
                return OwnPod(node, a);
            case ("", "list" or "watch"):
                if (NodeRules.SelectsNode(a.FieldSelector, node))
                {
                    return AuthorizationDecision.Allowed();
                }

                // A list or watch of one pod by name (metadata.name field selector) is a read of that pod.
                return a.Name.Length > 0 ? OwnPod(node, a) : AuthorizationDecision.NoOpinion("can only list/watch pods with spec.nodeName field selector");
            case ("", "create"):
                // Kubernetes lets kubelets create mirror pods of their static pods; our kubelet has none, so nodes create no pods.
                return AuthorizationDecision.NoOpinion("nodes may not create pods");
            default:
                return AuthorizationDecision.NoOpinion();
        }
    }

    private AuthorizationDecision OwnPod(string node, AuthorizationAttributes a) =>
        a.Name.Length == 0 ? AuthorizationDecision.NoOpinion("No Object name found")
        : _graph.PodOnNode(a.Namespace, a.Name, node) ? AuthorizationDecision.Allowed()
        : NoRelationship(node);

    /// <summary>
    /// Every Node may be read (the kubelet's routes to other nodes' pod CIDRs need them); the
    /// node's own may be written. A create names the Node in its body: NodeRestriction checks it.
    /// </summary>
    private static AuthorizationDecision AuthorizeNode(string node, AuthorizationAttributes a)
    {
        switch (a.Subresource, a.Verb)
        {
            case ("", "get" or "list" or "watch"):
            case ("", "create"):
                return AuthorizationDecision.Allowed();
            case ("", "update" or "patch" or "delete"):
            case ("status", "get" or "update" or "patch"):
                return a.Name == node
                    ? AuthorizationDecision.Allowed()
                    : AuthorizationDecision.NoOpinion($"node '{node}' cannot modify node '{a.Name}', only its own Node object");
            default:
                return AuthorizationDecision.NoOpinion();
        }
    }

    /// <summary>The node's own Lease in kube-node-lease, as Kubernetes' <c>authorizeLease</c> (a create's name is NodeRestriction's to check).</summary>
    private static AuthorizationDecision AuthorizeLease(string node, AuthorizationAttributes a)
    {
        if (a.Verb is not ("get" or "create" or "update" or "patch" or "delete"))
        {
            return AuthorizationDecision.NoOpinion("can only get, create, update, patch, or delete a node lease");
        }

        if (a.Namespace != NodeLeaseNamespace)
        {
            return AuthorizationDecision.NoOpinion($"can only access leases in the \"{NodeLeaseNamespace}\" system namespace");
        }

        return a.Verb != "create" && a.Name != node
            ? AuthorizationDecision.NoOpinion("can only access node lease with the same name as the requesting node")
            : AuthorizationDecision.Allowed();
    }

    private static AuthorizationDecision NoRelationship(string node) =>
        AuthorizationDecision.NoOpinion($"no relationship found between node '{node}' and this object");

    /// <summary>What a request asks of the graph.</summary>
    private enum GraphQuestion
    {
        Secret,
        ConfigMap,
        Pod,
    }
}
