using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Authorization.Rbac;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Rbac;

/// <summary>The RBAC index and rule matching, as Kubernetes' authorizer decides (plugin/pkg/auth/authorizer/rbac).</summary>
public sealed class RbacSnapshotTests
{
    private static readonly UserInfo Bob = UserInfo.Of("bob", "devs", UserInfo.SystemAuthenticated);

    private static ClusterRole ClusterRole(string name, params PolicyRule[] rules) => new() { Metadata = new() { Name = name }, Rules = [.. rules] };

    private static PolicyRule Rule(string[] verbs, string group, string[] resources, string[]? names = null) =>
        new() { Verbs = [.. verbs], ApiGroups = [group], Resources = [.. resources], ResourceNames = names is null ? null : [.. names] };

    private static ClusterRoleBinding ClusterBinding(string role, params Subject[] subjects) =>
        new() { Metadata = new() { Name = role }, RoleRef = new() { ApiGroup = RbacNames.Group, Kind = "ClusterRole", Name = role }, Subjects = [.. subjects] };

    private static RoleBinding Binding(string ns, string kind, string role, params Subject[] subjects) =>
        new() { Metadata = new() { Name = "b-" + role, Namespace = ns }, RoleRef = new() { ApiGroup = RbacNames.Group, Kind = kind, Name = role }, Subjects = [.. subjects] };

    private static Subject User(string name) => new() { Kind = "User", ApiGroup = RbacNames.Group, Name = name };

    private static Subject Group(string name) => new() { Kind = "Group", ApiGroup = RbacNames.Group, Name = name };

    private static AuthorizationAttributes Request(UserInfo user, string verb, string resource, string ns = "", string name = "", string subresource = "", string group = "") => new()
    {
        User = user, Verb = verb, IsResourceRequest = true, ApiGroup = group, Resource = resource, Subresource = subresource, Namespace = ns, Name = name,
    };

    private static AuthorizationAttributes Path(UserInfo user, string path) => new() { User = user, Verb = "get", Path = path };

    private static bool Allows(RbacSnapshot snapshot, AuthorizationAttributes request)
    {
        List<string>? missing = null;
        return snapshot.Allows(request, ref missing);
    }

    private static RbacSnapshot Snapshot(IEnumerable<KubeObject>? roles = null, IEnumerable<KubeObject>? clusterRoles = null, IEnumerable<KubeObject>? bindings = null, IEnumerable<KubeObject>? clusterBindings = null) =>
        RbacSnapshot.Build(roles ?? [], clusterRoles ?? [], bindings ?? [], clusterBindings ?? []);

    [Fact]
    public void Allows_ClusterRoleBindingToUser_AppliesInEveryNamespaceAndClusterScope()
    {
        var snapshot = Snapshot(clusterRoles: [ClusterRole("reader", Rule(["get", "list"], "", ["pods", "nodes"]))], clusterBindings: [ClusterBinding("reader", User("bob"))]);

        Assert.True(Allows(snapshot, Request(Bob, "list", "pods", "a")));
        Assert.True(Allows(snapshot, Request(Bob, "get", "pods", "b", "web")));
        Assert.True(Allows(snapshot, Request(Bob, "get", "nodes", name: "n1")));
        Assert.False(Allows(snapshot, Request(Bob, "delete", "pods", "a", "web")));
        Assert.False(Allows(snapshot, Request(UserInfo.Of("alice"), "list", "pods", "a")));
    }

    [Fact]
    public void Allows_RoleBindingToClusterRole_OnlyInItsNamespace()
    {
        var snapshot = Snapshot(clusterRoles: [ClusterRole("view", Rule(["list"], "", ["pods"]))], bindings: [Binding("team", "ClusterRole", "view", User("bob"))]);

        Assert.True(Allows(snapshot, Request(Bob, "list", "pods", "team")));
        Assert.False(Allows(snapshot, Request(Bob, "list", "pods", "other")));
        Assert.False(Allows(snapshot, Request(Bob, "list", "pods")));
    }

    [Fact]
    public void Allows_RoleBindingToRole_ReadsTheRoleOfItsNamespace()
    {
        var role = new Role { Metadata = new() { Name = "r", Namespace = "team" }, Rules = [Rule(["get"], "", ["configmaps"])] };
        var snapshot = Snapshot(roles: [role], bindings: [Binding("team", "Role", "r", Group("devs")), Binding("other", "Role", "r", Group("devs"))]);

        Assert.True(Allows(snapshot, Request(Bob, "get", "configmaps", "team", "c")));
        Assert.False(Allows(snapshot, Request(Bob, "get", "configmaps", "other", "c")));
    }

    [Fact]
    public void Allows_ServiceAccountSubject_MatchesItsUserNameWithTheBindingNamespaceAsDefault()
    {
        var snapshot = Snapshot(
            clusterRoles: [ClusterRole("view", Rule(["list"], "", ["pods"]))],
            bindings: [Binding("team", "ClusterRole", "view", new Subject { Kind = "ServiceAccount", Name = "builder" })]);
        var sa = UserInfo.Of("system:serviceaccount:team:builder", "system:serviceaccounts", "system:serviceaccounts:team");

        Assert.True(Allows(snapshot, Request(sa, "list", "pods", "team")));
        Assert.False(Allows(snapshot, Request(UserInfo.Of("system:serviceaccount:other:builder"), "list", "pods", "team")));
    }

    [Theory]
    [InlineData("pods", "status", true)]
    [InlineData("pods", "log", false)]
    [InlineData("replicationcontrollers", "scale", true)]
    [InlineData("pods", "", false)]
    public void Allows_SubresourceRules_MatchResourceSlashSubresourceOrStarSlashSubresource(string resource, string subresource, bool allowed)
    {
        var snapshot = Snapshot(clusterRoles: [ClusterRole("sub", Rule(["get"], "", ["pods/status", "*/scale"]))], clusterBindings: [ClusterBinding("sub", User("bob"))]);

        Assert.Equal(allowed, Allows(snapshot, Request(Bob, "get", resource, "a", "x", subresource)));
    }

    [Fact]
    public void Allows_StarResource_MatchesSubresourcesAndAnyGroup()
    {
        var snapshot = Snapshot(clusterRoles: [ClusterRole("all", Rule(["*"], "*", ["*"]))], clusterBindings: [ClusterBinding("all", User("bob"))]);

        Assert.True(Allows(snapshot, Request(Bob, "update", "pods", "a", "x", "status")));
        Assert.True(Allows(snapshot, Request(Bob, "delete", "leases", "a", "x", group: "coordination.k8s.io")));
        Assert.False(Allows(snapshot, Path(Bob, "/healthz")));
    }

    [Fact]
    public void Allows_ResourceNames_NeverMatchARequestWithoutName()
    {
        var snapshot = Snapshot(clusterRoles: [ClusterRole("one", Rule(["get", "list", "create"], "", ["configmaps"], ["app"]))], clusterBindings: [ClusterBinding("one", User("bob"))]);

        Assert.True(Allows(snapshot, Request(Bob, "get", "configmaps", "a", "app")));
        Assert.False(Allows(snapshot, Request(Bob, "get", "configmaps", "a", "other")));
        Assert.False(Allows(snapshot, Request(Bob, "list", "configmaps", "a")));
        Assert.False(Allows(snapshot, Request(Bob, "create", "configmaps", "a")));
    }

    [Theory]
    [InlineData("/healthz", true)]
    [InlineData("/healthz/etcd", false)]
    [InlineData("/apis", true)]
    [InlineData("/apis/rbac.authorization.k8s.io/v1", true)]
    [InlineData("/version", false)]
    public void Allows_NonResourceUrls_ExactOrStarPrefix(string path, bool allowed)
    {
        var snapshot = Snapshot(
            clusterRoles: [ClusterRole("urls", new PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz", "/apis", "/apis/*"] })],
            clusterBindings: [ClusterBinding("urls", Group("devs"))]);

        Assert.Equal(allowed, Allows(snapshot, Path(Bob, path)));
    }

    [Fact]
    public void Allows_MissingRole_ReportsKubernetesNotFoundReasons()
    {
        var snapshot = Snapshot(
            bindings: [Binding("team", "Role", "gone", User("bob"))],
            clusterBindings: [ClusterBinding("absent", Group("devs")), ClusterBinding("unrelated", User("alice"))]);
        List<string>? missing = null;

        Assert.False(snapshot.Allows(Request(Bob, "list", "pods", "team"), ref missing));
        Assert.Equal(["clusterrole.rbac.authorization.k8s.io \"absent\" not found", "role.rbac.authorization.k8s.io \"gone\" not found"], missing);
    }

    [Fact]
    public void RulesFor_UserInNamespace_ClusterRulesThenNamespaceRulesEachOnce()
    {
        var clusterRule = Rule(["get"], "", ["nodes"]);
        var viewRule = Rule(["list"], "", ["pods"]);
        var snapshot = Snapshot(
            clusterRoles: [ClusterRole("nodes", clusterRule), ClusterRole("view", viewRule)],
            bindings: [Binding("team", "ClusterRole", "view", User("bob"), Group("devs"))],
            clusterBindings: [ClusterBinding("nodes", Group("devs")), ClusterBinding("missing", User("bob"))]);

        var rules = snapshot.RulesFor(Bob, "team");

        Assert.Equal([clusterRule, viewRule], rules.Rules);
        Assert.Equal(["clusterrole.rbac.authorization.k8s.io \"missing\" not found"], rules.Errors);
        Assert.Equal([clusterRule], snapshot.RulesFor(Bob, "").Rules);
    }
}
