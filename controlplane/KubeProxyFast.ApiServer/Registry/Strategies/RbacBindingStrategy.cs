using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>
/// RoleBindings and ClusterRoleBindings, as Kubernetes' binding strategies: a PUT may create one;
/// the RBAC group is defaulted where v1 defaults it (the roleRef's, and users' and groups'); the
/// roleRef never changes.
/// </summary>
internal sealed class RbacBindingStrategy : ResourceStrategy
{
    public override bool AllowCreateOnUpdate => true;

    public override void Default(KubeObject obj)
    {
        var (roleRef, subjects) = Parts(obj);
        if (roleRef is not null && roleRef.ApiGroup.Length == 0)
        {
            roleRef.ApiGroup = RbacValidation.GroupName;
        }

        foreach (var subject in subjects ?? [])
        {
            // As v1's SetDefaults_Subject: service accounts are core objects, users and groups RBAC's.
            if (string.IsNullOrEmpty(subject.ApiGroup) && subject.Kind is "User" or "Group")
            {
                subject.ApiGroup = RbacValidation.GroupName;
            }
        }
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(KubeObject obj, KubeObject old) =>
        RbacValidation.ValidateUpdate(obj, Parts(obj).RoleRef, Parts(old).RoleRef);

    private static (RoleRef? RoleRef, List<Subject>? Subjects) Parts(KubeObject obj) => obj switch
    {
        RoleBinding binding => (binding.RoleRef, binding.Subjects),
        ClusterRoleBinding binding => (binding.RoleRef, binding.Subjects),
        _ => throw new ArgumentException($"not a binding: {obj.GetType().Name}", nameof(obj)),
    };
}
