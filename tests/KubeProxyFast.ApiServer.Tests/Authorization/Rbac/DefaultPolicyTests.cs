using System.Net;
using KubeProxyFast.Api.Rbac;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Authorization.Rbac.RbacHttp;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Rbac;

/// <summary>The default roles and bindings a secured server reconciles at start, as Kubernetes' bootstrap-roles hook.</summary>
public sealed class DefaultPolicyTests
{
    private const string ClusterRoles = "/apis/rbac.authorization.k8s.io/v1/clusterroles";

    [Fact]
    public async Task Start_SecuredServer_DefaultRolesAndBindingsExist()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var admin = server.HttpAs("admin", "system:masters");

        foreach (var name in (string[])["cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user", "system:public-info-viewer",
                     "system:kube-scheduler", "system:kube-controller-manager", "system:node-proxier", "system:node", "system:kubelet-api-admin",
                     "system:node-bootstrapper", "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
                     "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient"])
        {
            Assert.Equal(HttpStatusCode.OK, await StatusOfGetAsync(admin, ClusterRoles + "/" + name));
        }

        var binding = KubeJson.Deserialize<ClusterRoleBinding>(await admin.GetStringAsync(new Uri("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:public-info-viewer", UriKind.Relative)));
        Assert.Equal(["system:authenticated", "system:unauthenticated"], binding.Subjects!.Select(s => s.Name));
        Assert.Equal(HttpStatusCode.OK, await StatusOfGetAsync(admin, "/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/roles/extension-apiserver-authentication-reader"));
    }

    [Fact]
    public async Task Kubectl_GetClusterRoles_NameAndCreatedAt()
    {
        await using var server = await SecuredApiServer.StartAsync();

        var result = server.Kubectl(server.AdminKubeconfigPath, "get", "clusterroles");
        var bindings = server.Kubectl(server.AdminKubeconfigPath, "get", "clusterrolebindings", "-o", "wide");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches("^NAME +CREATED AT\n", result.Stdout);
        Assert.Matches("\ncluster-admin +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n", result.Stdout);
        Assert.True(bindings.ExitCode == 0, bindings.Stderr);
        Assert.Matches("\nsystem:public-info-viewer +ClusterRole/system:public-info-viewer +\\S+ +system:authenticated, system:unauthenticated", bindings.Stdout);
    }

    [Fact]
    public async Task Start_DeletedRoleAndMissingRule_RestoredButAutoupdateFalseLeftAlone()
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions());
        await using (var first = await SecuredApiServer.StartAsync(store))
        {
            var admin = first.HttpAs("admin", "system:masters");
            using var deleted = await admin.DeleteAsync(new Uri(ClusterRoles + "/view", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            await Replace(admin, "system:discovery", role => role.Rules = [new PolicyRule { Verbs = ["get"], NonResourceURLs = ["/api"] }]);
            await Replace(admin, "system:basic-user", role =>
            {
                role.Rules = [];
                role.Metadata.Annotations!["rbac.authorization.kubernetes.io/autoupdate"] = "false";
            });
        }

        await using var second = await SecuredApiServer.StartAsync(store);
        var again = second.HttpAs("admin", "system:masters");

        Assert.Equal(HttpStatusCode.OK, await StatusOfGetAsync(again, ClusterRoles + "/view"));
        var discovery = await Read(again, "system:discovery");
        Assert.Contains(discovery.Rules!, r => r.NonResourceURLs is ["/version"]);
        Assert.Contains(discovery.Rules!, r => r.NonResourceURLs is ["/api"]);
        Assert.Empty((await Read(again, "system:basic-user")).Rules ?? []);
    }

    [Fact]
    public async Task Start_TwoServersOnOneStoreAtOnce_BothServeTheSamePolicy()
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions());

        var servers = await Task.WhenAll(SecuredApiServer.StartAsync(store), SecuredApiServer.StartAsync(store));
        try
        {
            var list = await servers[1].HttpAs("admin", "system:masters").GetStringAsync(new Uri(ClusterRoles, UriKind.Relative));
            var roles = KubeJson.Deserialize<ClusterRoleList>(list);
            Assert.Single(roles.Items!, r => r.Metadata.Name == "system:public-info-viewer");
            Assert.Equal(HttpStatusCode.OK, await StatusOfGetAsync(servers[0].AnonymousHttp(), "/healthz"));
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<ClusterRole> Read(HttpClient admin, string name) =>
        KubeJson.Deserialize<ClusterRole>(await admin.GetStringAsync(new Uri(ClusterRoles + "/" + name, UriKind.Relative)));

    private static async Task Replace(HttpClient admin, string name, Action<ClusterRole> change)
    {
        var role = await Read(admin, name);
        change(role);
        using var response = await admin.PutAsync(new Uri(ClusterRoles + "/" + name, UriKind.Relative),
            new StringContent(KubeJson.Serialize(role), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
