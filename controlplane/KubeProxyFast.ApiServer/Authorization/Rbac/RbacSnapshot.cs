using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.ApiServer.Authorization.Rbac;

/// <summary>
/// The RBAC objects at one moment, indexed for the request path: roles compiled, bindings by the
/// users and groups they name (cluster-wide and per namespace). Immutable once built; the
/// authorizer swaps a new one in after any change.
/// </summary>
internal sealed partial class RbacSnapshot
{
    private static readonly Dictionary<string, CompiledRule[]> NoRoles = new(StringComparer.Ordinal);

    private readonly Dictionary<string, CompiledRule[]> _clusterRoles;
    private readonly Dictionary<string, Dictionary<string, CompiledRule[]>> _roles;
    private readonly SubjectIndex _cluster;
    private readonly Dictionary<string, SubjectIndex> _namespaced;

    private RbacSnapshot(
        Dictionary<string, CompiledRule[]> clusterRoles, Dictionary<string, Dictionary<string, CompiledRule[]>> roles,
        SubjectIndex cluster, Dictionary<string, SubjectIndex> namespaced)
    {
        _clusterRoles = clusterRoles;
        _roles = roles;
        _cluster = cluster;
        _namespaced = namespaced;
    }

    /// <summary>No objects: nothing is allowed.</summary>
    public static RbacSnapshot Empty { get; } = Build([], [], [], []);

    /// <summary>Indexes the given objects.</summary>
    public static RbacSnapshot Build(
        IEnumerable<KubeObject> roles, IEnumerable<KubeObject> clusterRoles, IEnumerable<KubeObject> roleBindings, IEnumerable<KubeObject> clusterRoleBindings)
    {
        var compiledClusterRoles = new Dictionary<string, CompiledRule[]>(StringComparer.Ordinal);
        foreach (var role in clusterRoles.OfType<ClusterRole>())
        {
            compiledClusterRoles[role.Metadata.Name ?? ""] = Compile(role.Rules);
        }

        var compiledRoles = new Dictionary<string, Dictionary<string, CompiledRule[]>>(StringComparer.Ordinal);
        foreach (var role in roles.OfType<Role>())
        {
            var ns = role.Metadata.Namespace ?? "";
            if (!compiledRoles.TryGetValue(ns, out var inNamespace))
            {
                compiledRoles[ns] = inNamespace = new Dictionary<string, CompiledRule[]>(StringComparer.Ordinal);
            }

            inNamespace[role.Metadata.Name ?? ""] = Compile(role.Rules);
        }

        var cluster = new SubjectIndex();
        foreach (var binding in clusterRoleBindings.OfType<ClusterRoleBinding>())
        {
            Index(cluster, "", binding.Metadata.Name ?? "", binding.RoleRef, binding.Subjects);
        }

        var namespaced = new Dictionary<string, SubjectIndex>(StringComparer.Ordinal);
        foreach (var binding in roleBindings.OfType<RoleBinding>())
        {
            var ns = binding.Metadata.Namespace ?? "";
            if (!namespaced.TryGetValue(ns, out var index))
            {
                namespaced[ns] = index = new SubjectIndex();
            }

            Index(index, ns, binding.Metadata.Name ?? "", binding.RoleRef, binding.Subjects);
        }

        return new RbacSnapshot(compiledClusterRoles, compiledRoles, cluster, namespaced);
    }

    private static CompiledRule[] Compile(List<PolicyRule>? rules) => rules is null ? [] : [.. rules.Select(r => new CompiledRule(r))];

    /// <summary>
    /// Files a binding under each subject it names, as Kubernetes' <c>appliesToUser</c> matches them:
    /// users by name, groups by name, service accounts by their user name (a RoleBinding's subject
    /// without a namespace is in the binding's).
    /// </summary>
    private static void Index(SubjectIndex index, string ns, string name, RoleRef? roleRef, List<Subject>? subjects)
    {
        if (roleRef is null || subjects is null)
        {
            return;
        }

        var grant = new RbacGrant(ns, name, roleRef.Kind, roleRef.Name);
        foreach (var subject in subjects)
        {
            switch (subject.Kind)
            {
                case "User":
                    SubjectIndex.Add(index.Users, subject.Name, grant);
                    break;
                case "Group":
                    SubjectIndex.Add(index.Groups, subject.Name, grant);
                    break;
                case "ServiceAccount":
                    var saNamespace = string.IsNullOrEmpty(subject.Namespace) ? ns : subject.Namespace;
                    if (saNamespace.Length > 0)
                    {
                        SubjectIndex.Add(index.Users, RbacNames.ServiceAccountUser(saNamespace, subject.Name), grant);
                    }

                    break;
            }
        }
    }

    /// <summary>The rules a grant gives, or null when its role does not exist (or its kind is not one).</summary>
    private CompiledRule[]? Resolve(RbacGrant grant) => grant.RoleKind switch
    {
        "ClusterRole" => _clusterRoles.GetValueOrDefault(grant.RoleName),
        // A ClusterRoleBinding cannot name a Role; validation refuses it, and it never resolves.
        "Role" when grant.BindingNamespace.Length > 0 => _roles.GetValueOrDefault(grant.BindingNamespace, NoRoles).GetValueOrDefault(grant.RoleName),
        _ => null,
    };

    /// <summary>Kubernetes' error for a grant whose role is missing: <c>clusterrole.rbac.authorization.k8s.io "x" not found</c>.</summary>
    private static string NotFound(RbacGrant grant) => grant.RoleKind switch
    {
        "ClusterRole" => $"clusterrole.{RbacNames.Group} \"{grant.RoleName}\" not found",
        "Role" => $"role.{RbacNames.Group} \"{grant.RoleName}\" not found",
        _ => $"unsupported role reference kind: \"{grant.RoleKind}\"",
    };
}
