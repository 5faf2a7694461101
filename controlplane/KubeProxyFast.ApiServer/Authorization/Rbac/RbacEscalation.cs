using System.Globalization;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Admission;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Authorization.Rbac;

/// <summary>
/// Kubernetes' privilege-escalation prevention (pkg/registry/rbac/*/policybased): a role may only
/// be written with rules its writer holds, unless they may <c>escalate</c> roles; a binding only to a
/// role whose rules its writer holds in the binding's namespace, unless they may <c>bind</c> it.
/// <c>system:masters</c> may do either; an update that changes only what garbage collection
/// changes (owner references, finalizers) is not checked.
/// </summary>
internal sealed class RbacEscalation : IWriteAdmission
{
    private readonly RbacAuthorizer _rbac;

    /// <summary>Checks against what <paramref name="rbac"/> grants.</summary>
    public RbacEscalation(RbacAuthorizer rbac) => _rbac = rbac;

    /// <inheritdoc/>
    public void Admit(WriteAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Object is not (Role or ClusterRole or RoleBinding or ClusterRoleBinding)
            || attempt.User.InGroup(UserInfo.SystemMasters)
            || (attempt.Old is not null && OnlyGarbageCollectionFields(attempt.Resource, attempt.Object, attempt.Old)))
        {
            return;
        }

        var meta = attempt.Object.Metadata;
        var ns = meta.Namespace ?? "";
        var name = meta.Name ?? "";
        switch (attempt.Object)
        {
            case Role role:
                CheckRole(attempt, "roles", ns, name, role.Rules);
                break;
            case ClusterRole role:
                CheckRole(attempt, "clusterroles", "", name, role.Rules);
                break;
            case RoleBinding binding:
                CheckBinding(attempt, ns, name, binding.RoleRef);
                break;
            case ClusterRoleBinding binding:
                CheckBinding(attempt, "", name, binding.RoleRef);
                break;
        }
    }

    private void CheckRole(WriteAttempt attempt, string resource, string ns, string name, List<PolicyRule>? rules)
    {
        if (Allowed(attempt.User, "escalate", resource, ns, name))
        {
            return;
        }

        ConfirmNoEscalation(attempt, ns, name, rules ?? []);
    }

    private void CheckBinding(WriteAttempt attempt, string ns, string name, RoleRef? roleRef)
    {
        if (roleRef is null)
        {
            return;
        }

        var roleResource = roleRef.Kind == "Role" ? "roles" : "clusterroles";
        if (Allowed(attempt.User, "bind", roleResource, ns, roleRef.Name))
        {
            return;
        }

        // As Kubernetes: the role is read to compare its rules; a missing one is the 404 of that read.
        var rules = _rbac.RoleRules(roleRef.Kind, roleRef.Name, ns) ?? throw StatusErrors.NotFound(roleResource, roleRef.Name, RbacNames.Group);
        ConfirmNoEscalation(attempt, ns, name, rules);
    }

    private bool Allowed(UserInfo user, string verb, string resource, string ns, string name) =>
        _rbac.Authorize(new AuthorizationAttributes
        {
            User = user, Verb = verb, IsResourceRequest = true, ApiGroup = RbacNames.Group, ApiVersion = "v1",
            Resource = resource, Namespace = ns, Name = name,
        }).Decision == Decision.Allow;

    /// <summary>Kubernetes' <c>ConfirmNoEscalation</c>: 403 naming the rules the writer does not hold.</summary>
    private void ConfirmNoEscalation(WriteAttempt attempt, string ns, string name, IReadOnlyList<PolicyRule> rules)
    {
        var held = _rbac.RulesFor(attempt.User, ns);
        var missing = RuleCoverage.Missing(held.Rules, rules);
        if (missing.Count == 0)
        {
            return;
        }

        var message = string.Create(CultureInfo.InvariantCulture,
            $"user \"{attempt.User.Name}\" (groups={RuleCoverage.Quoted(attempt.User.Groups)}) is attempting to grant RBAC permissions not currently held:\n{string.Join("\n", RuleCoverage.Describe(missing))}");
        if (held.Incomplete)
        {
            message += "; resolution errors: [" + string.Join(" ", held.Errors) + "]";
        }

        throw StatusErrors.Forbidden(attempt.Resource.Name, name, message, RbacNames.Group);
    }

    /// <summary>Kubernetes' <c>IsOnlyMutatingGCFields</c>: equal once the old object takes the new owner references and finalizers.</summary>
    private static bool OnlyGarbageCollectionFields(ResourceDefinition resource, KubeObject obj, KubeObject old)
    {
        var copy = ObjectCodec.Copy(resource, old);
        copy.Metadata.OwnerReferences = obj.Metadata.OwnerReferences;
        copy.Metadata.Finalizers = obj.Metadata.Finalizers;
        copy.Metadata.ResourceVersion = obj.Metadata.ResourceVersion;
        return KubeJson.SerializeObject(copy).AsSpan().SequenceEqual(KubeJson.SerializeObject(obj));
    }
}
