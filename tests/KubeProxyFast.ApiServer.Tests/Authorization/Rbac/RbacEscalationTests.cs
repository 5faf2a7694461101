using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Authorization.Rbac.RbacHttp;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Rbac;

/// <summary>
/// Privilege-escalation prevention, as Kubernetes' RBAC storage: bob administers namespace
/// <c>default</c> (ClusterRole admin through a RoleBinding), which lets him write roles and
/// bindings there, but only with permissions he holds — unless he may escalate or bind.
/// </summary>
public sealed class RbacEscalationTests
{
    private const string Roles = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles";
    private const string RoleBindings = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings";
    private const string LeaseDeleter = """[{"verbs":["delete"],"apiGroups":["coordination.k8s.io"],"resources":["leases"]}]""";

    private static async Task<(SecuredApiServer Server, HttpClient Admin, HttpClient Bob)> StartWithNamespaceAdminAsync()
    {
        var server = await SecuredApiServer.StartAsync();
        var admin = server.HttpAs("admin", "system:masters");
        await CreateAsync(admin, RoleBindings, RoleBinding("default", "bob-admin", "ClusterRole", "admin", "User", "bob"));
        var bob = server.HttpAs("bob");
        await UntilAllowedAsync(bob, Roles);
        return (server, admin, bob);
    }

    [Fact]
    public async Task CreateRole_RulesNotHeld_ForbiddenWithKubernetesMessage()
    {
        var (server, _, bob) = await StartWithNamespaceAdminAsync();
        await using var _ = server;

        using var response = await PostAsync(bob, Roles, Role("default", "lease-deleter", LeaseDeleter));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(
            "roles.rbac.authorization.k8s.io \\\"lease-deleter\\\" is forbidden: user \\\"bob\\\" (groups=[\\\"system:authenticated\\\"]) is attempting to grant RBAC permissions not currently held:\\n{APIGroups:[\\\"coordination.k8s.io\\\"], Resources:[\\\"leases\\\"], Verbs:[\\\"delete\\\"]}",
            body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRole_RulesHeld_Created()
    {
        var (server, _, bob) = await StartWithNamespaceAdminAsync();
        await using var _ = server;

        await CreateAsync(bob, Roles, Role("default", "pod-reader", """[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods","pods/log"]}]"""));
    }

    [Fact]
    public async Task CreateRole_UserMayEscalate_Created()
    {
        var (server, admin, bob) = await StartWithNamespaceAdminAsync();
        await using var _ = server;
        await CreateAsync(admin, "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            ClusterRole("role-escalator", """[{"verbs":["escalate"],"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles"]}]"""));
        await CreateAsync(admin, RoleBindings, RoleBinding("default", "bob-escalate", "ClusterRole", "role-escalator", "User", "bob"));

        await Eventually.True(async () =>
        {
            using var response = await PostAsync(bob, Roles, Role("default", "lease-deleter", LeaseDeleter));
            return response.StatusCode == HttpStatusCode.Created;
        }, "bob creates a role with rules he does not hold", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task CreateRoleBinding_RoleNotHeld_ForbiddenUnlessMayBind()
    {
        var (server, admin, bob) = await StartWithNamespaceAdminAsync();
        await using var _ = server;
        var binding = RoleBinding("default", "carol-admin", "ClusterRole", "cluster-admin", "User", "carol");

        using (var refused = await PostAsync(bob, RoleBindings, binding))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("rolebindings.rbac.authorization.k8s.io \\\"carol-admin\\\" is forbidden: user \\\"bob\\\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await CreateAsync(admin, "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            ClusterRole("bind-cluster-admin", """[{"verbs":["bind"],"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"resourceNames":["cluster-admin"]}]"""));
        await CreateAsync(admin, RoleBindings, RoleBinding("default", "bob-bind", "ClusterRole", "bind-cluster-admin", "User", "bob"));
        await Eventually.True(async () =>
        {
            using var response = await PostAsync(bob, RoleBindings, binding);
            return response.StatusCode == HttpStatusCode.Created;
        }, "bob binds a role he may bind", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task CreateRoleBinding_RoleHeld_Created()
    {
        var (server, _, bob) = await StartWithNamespaceAdminAsync();
        await using var _ = server;

        await CreateAsync(bob, RoleBindings, RoleBinding("default", "dave-view", "ClusterRole", "view", "User", "dave"));
    }
}
