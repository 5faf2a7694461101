using KubeProxyFast.Api.Rbac;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

/// <summary>RBAC validation, with Kubernetes' messages (pkg/apis/rbac/validation).</summary>
public sealed class RbacValidationTests
{
    private static readonly RoleRef View = new() { ApiGroup = RbacValidation.GroupName, Kind = "ClusterRole", Name = "view" };

    private static string[] Messages(Api.Meta.KubeObject obj) => ObjectValidation.Validate(obj).Select(e => e.ToString()).ToArray();

    private static Role RoleWith(params PolicyRule[] rules) => new() { Metadata = new() { Name = "r", Namespace = "default" }, Rules = [.. rules] };

    [Fact]
    public void Validate_WellFormedObjects_NoErrors()
    {
        Assert.Empty(Messages(RoleWith(new PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["pods"] })));
        Assert.Empty(Messages(new ClusterRole { Metadata = new() { Name = "system:x" }, Rules = [new() { Verbs = ["get"], NonResourceURLs = ["/healthz"] }] }));
        Assert.Empty(Messages(new RoleBinding
        {
            Metadata = new() { Name = "b", Namespace = "default" }, RoleRef = View,
            Subjects = [new() { Kind = "ServiceAccount", Name = "default" }, new() { Kind = "User", ApiGroup = RbacValidation.GroupName, Name = "bob" }],
        }));
    }

    [Fact]
    public void Validate_RuleWithoutVerbsGroupsOrResources_RequiredErrors()
    {
        Assert.Equal(
        [
            "rules[0].verbs: Required value: verbs must contain at least one value",
            "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
            "rules[0].resources: Required value: resource rules must supply at least one resource",
        ], Messages(RoleWith(new PolicyRule())));
    }

    [Fact]
    public void Validate_NonResourceUrlsInRoleAndWithResources_Invalid()
    {
        Assert.Equal(
        [
            "rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs",
            "rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: rules cannot apply to both regular resources and non-resource URLs",
        ], Messages(RoleWith(new PolicyRule { Verbs = ["get"], Resources = ["pods"], NonResourceURLs = ["/healthz"] })));
    }

    [Fact]
    public void Validate_BadRoleRefAndSubjects_NotSupportedAndRequired()
    {
        var binding = new ClusterRoleBinding
        {
            Metadata = new() { Name = "b" },
            RoleRef = new() { ApiGroup = "x", Kind = "Role", Name = "" },
            Subjects = [new() { Kind = "ServiceAccount", Name = "default" }, new() { Kind = "User", Name = "bob" }, new() { Kind = "Robot", Name = "r2" }],
        };
        Assert.Equal(
        [
            "roleRef.apiGroup: Unsupported value: \"x\": supported values: \"rbac.authorization.k8s.io\"",
            "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
            "roleRef.name: Required value",
            "subjects[0].namespace: Required value",
            "subjects[1].apiGroup: Unsupported value: \"\": supported values: \"rbac.authorization.k8s.io\"",
            "subjects[2].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
        ], Messages(binding));
    }

    [Fact]
    public void ValidateUpdate_ChangedRoleRef_CannotChange()
    {
        var binding = new RoleBinding { Metadata = new() { Name = "b", Namespace = "default" }, RoleRef = View };
        var edit = new RoleRef { ApiGroup = RbacValidation.GroupName, Kind = "ClusterRole", Name = "edit" };
        var errors = RbacValidation.ValidateUpdate(binding, View, edit).Select(e => e.ToString());
        Assert.Equal(["roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"view\"}: cannot change roleRef"], errors);
    }

    [Theory]
    [InlineData("system:kube-scheduler", new string[0])]
    [InlineData("..", new[] { "may not be '..'" })]
    [InlineData("a/b%c", new[] { "may not contain '/'", "may not contain '%'" })]
    public void IsValidName_PathSegmentRules(string name, string[] expected) => Assert.Equal(expected, RbacValidation.IsValidName(name));
}
