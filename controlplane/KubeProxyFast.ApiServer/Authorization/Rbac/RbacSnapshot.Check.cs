using KubeProxyFast.ApiServer.Authentication;

namespace KubeProxyFast.ApiServer.Authorization.Rbac;

// The request path: which grants apply to a user, and whether one of their rules allows the request.
internal sealed partial class RbacSnapshot
{
    /// <summary>
    /// True when a ClusterRoleBinding, or a RoleBinding of the request's namespace, grants the
    /// request to its user. <paramref name="missing"/> collects the missing roles of grants that
    /// applied (only built when there are some: an allowed request allocates nothing).
    /// </summary>
    public bool Allows(AuthorizationAttributes request, ref List<string>? missing)
    {
        var user = request.User;
        if (Allows(_cluster, user, request, ref missing))
        {
            return true;
        }

        return request.Namespace.Length > 0
            && _namespaced.TryGetValue(request.Namespace, out var index)
            && Allows(index, user, request, ref missing);
    }

    private bool Allows(SubjectIndex index, UserInfo user, AuthorizationAttributes request, ref List<string>? missing)
    {
        if (index.Users.TryGetValue(user.Name, out var byName) && Allows(byName, request, ref missing))
        {
            return true;
        }

        var groups = user.Groups;
        for (var i = 0; i < groups.Count; i++)
        {
            if (index.Groups.TryGetValue(groups[i], out var byGroup) && Allows(byGroup, request, ref missing))
            {
                return true;
            }
        }

        return false;
    }

    private bool Allows(List<RbacGrant> grants, AuthorizationAttributes request, ref List<string>? missing)
    {
        for (var g = 0; g < grants.Count; g++)
        {
            var grant = grants[g];
            if (Resolve(grant) is not { } rules)
            {
                missing ??= [];
                var error = NotFound(grant);
                if (!missing.Contains(error))
                {
                    missing.Add(error);
                }

                continue;
            }

            for (var r = 0; r < rules.Length; r++)
            {
                if (rules[r].Allows(request))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Every rule that applies to <paramref name="user"/> in <paramref name="ns"/> (cluster-wide
    /// grants, then the namespace's; empty <paramref name="ns"/> for cluster-wide only), each grant
    /// once, and the errors of grants whose role is missing.
    /// </summary>
    public RbacRules RulesFor(UserInfo user, string ns)
    {
        var seen = new HashSet<RbacGrant>();
        var rules = new List<Api.Rbac.PolicyRule>();
        var errors = new List<string>();
        Collect(_cluster, user, seen, rules, errors);
        if (ns.Length > 0 && _namespaced.TryGetValue(ns, out var index))
        {
            Collect(index, user, seen, rules, errors);
        }

        return new RbacRules(rules, errors);
    }

    private void Collect(SubjectIndex index, UserInfo user, HashSet<RbacGrant> seen, List<Api.Rbac.PolicyRule> rules, List<string> errors)
    {
        IEnumerable<List<RbacGrant>> lists = index.Users.TryGetValue(user.Name, out var byName) ? [byName] : [];
        lists = lists.Concat(user.Groups.Select(g => index.Groups.GetValueOrDefault(g)).OfType<List<RbacGrant>>());
        foreach (var grant in lists.SelectMany(l => l))
        {
            if (!seen.Add(grant))
            {
                continue;
            }

            if (Resolve(grant) is { } compiled)
            {
                rules.AddRange(compiled.Select(c => c.Source));
            }
            else if (!errors.Contains(NotFound(grant)))
            {
                errors.Add(NotFound(grant));
            }
        }
    }

    /// <summary>The rules of the role a binding names in <paramref name="ns"/> (empty for a ClusterRoleBinding), or null when it is missing.</summary>
    public IReadOnlyList<Api.Rbac.PolicyRule>? RoleRules(string roleKind, string roleName, string ns) =>
        Resolve(new RbacGrant(ns, "", roleKind, roleName))?.Select(c => c.Source).ToArray();
}
