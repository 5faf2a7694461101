using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Authorization.Rbac.RbacHttp;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Rbac;

/// <summary>RBAC on a secured server, through HTTP and the kubectl on PATH, as kube-apiserver answers.</summary>
public sealed class RbacAuthorizationTests
{
    [Fact]
    public async Task Kubectl_UserBoundToView_ListsPodsButCreateIsForbidden()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var created = server.Kubectl(server.AdminKubeconfigPath, "create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob", "-n", "default");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var bob = server.WriteKubeconfig("bob");
        await UntilAllowedAsync(server.HttpAs("bob"), "/api/v1/namespaces/default/pods");

        var list = server.Kubectl(bob, "get", "pods", "-n", "default");
        var create = server.Kubectl(bob, "create", "configmap", "settings", "-n", "default", "--from-literal=a=b");

        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains(
            "configmaps is forbidden: User \"bob\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"",
            create.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RoleBinding_GrantsOnlyInItsNamespace()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var admin = server.HttpAs("admin", "system:masters");
        var bob = server.HttpAs("bob");
        await CreateAsync(admin, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", RoleBinding("default", "bob-view", "ClusterRole", "view", "User", "bob"));
        await UntilAllowedAsync(bob, "/api/v1/namespaces/default/services");

        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(bob, "/api/v1/namespaces/kube-system/services"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(bob, "/api/v1/services"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(bob, "/api/v1/namespaces/default/secrets"));
    }

    [Fact]
    public async Task Get_GroupBoundToRoleWithResourceNames_OnlyThoseObjects()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var admin = server.HttpAs("admin", "system:masters");
        var carol = server.HttpAs("carol", "devs");
        await CreateAsync(admin, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
            Role("default", "app-config", """[{"verbs":["get","list"],"apiGroups":[""],"resources":["configmaps"],"resourceNames":["app"]}]"""));
        await CreateAsync(admin, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", RoleBinding("default", "devs-app", "Role", "app-config", "Group", "devs"));
        await UntilAllowedAsync(carol, "/api/v1/namespaces/default/configmaps/app");

        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(carol, "/api/v1/namespaces/default/configmaps/app"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(carol, "/api/v1/namespaces/default/configmaps/other"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(carol, "/api/v1/namespaces/default/configmaps"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(server.HttpAs("dave"), "/api/v1/namespaces/default/configmaps/app"));
    }

    [Fact]
    public async Task Get_NonResourceUrlRule_GrantsThePathOnly()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var admin = server.HttpAs("admin", "system:masters");
        var erin = server.HttpAs("erin");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(erin, "/metrics"));
        await CreateAsync(admin, "/apis/rbac.authorization.k8s.io/v1/clusterroles", ClusterRole("metrics-reader", """[{"verbs":["get"],"nonResourceURLs":["/metrics"]}]"""));
        await CreateAsync(admin, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", ClusterRoleBinding("erin-metrics", "metrics-reader", "User", "erin"));

        await UntilAllowedAsync(erin, "/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(erin, "/api/v1/namespaces"));
    }

    [Fact]
    public async Task Get_BindingToMissingClusterRole_ForbiddenWithRbacReason()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var admin = server.HttpAs("admin", "system:masters");
        await CreateAsync(admin, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", ClusterRoleBinding("frank-ghost", "ghost", "User", "frank"));
        var frank = server.HttpAs("frank");

        string body = "";
        await Eventually.True(async () =>
        {
            using var response = await frank.GetAsync(new Uri("/api/v1/namespaces", UriKind.Relative));
            body = await response.Content.ReadAsStringAsync();
            return body.Contains("RBAC: clusterrole.rbac.authorization.k8s.io \\\"ghost\\\" not found", StringComparison.Ordinal);
        }, "the missing role named in the 403", TimeSpan.FromSeconds(30));
        Assert.Contains("User \\\"frank\\\" cannot list resource \\\"namespaces\\\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_Anonymous_HealthPathsAnswerApi401()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var anonymous = server.AnonymousHttp();

        foreach (var path in (string[])["/healthz", "/livez", "/readyz", "/version"])
        {
            Assert.Equal(HttpStatusCode.OK, await StatusOfGetAsync(anonymous, path));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfGetAsync(anonymous, "/api"));
    }

    [Fact]
    public async Task Kubectl_AuthenticatedUserWithoutRoles_ReadsDiscovery()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var grace = server.WriteKubeconfig("grace");

        var result = server.Kubectl(grace, "api-resources");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("clusterrolebindings", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("rbac.authorization.k8s.io/v1", result.Stdout, StringComparison.Ordinal);
    }
}
