using System.Net;
using System.Text.Json.Nodes;
using KubeProxyFast.ApiServer.Tests.Reviews;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Authentication;

/// <summary>Impersonation headers: each part authorized as <c>impersonate</c>, then the request acts as the impersonated user.</summary>
public sealed class ImpersonationTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private const string WhoAmI = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    private const string Body = """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""";

    private SecuredApiServer Server => fixture.Server;

    private static async Task<(HttpStatusCode Code, JsonNode Body)> PostAsAsync(HttpClient http, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WhoAmI) { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Impersonate_AdminAsUserGroupsUidExtra_RequestActsAsThatUser()
    {
        // system:masters as the group, so the impersonated user may create the review without RBAC. (HttpClient
        // joins a repeated header into one line; repeated groups are kubectl's test, KubectlAuthCanITests.)
        var (code, body) = await PostAsAsync(Server.HttpAs("admin", "system:masters"),
            ("Impersonate-User", "bob"), ("Impersonate-Group", "system:masters"), ("Impersonate-Uid", "u-7"),
            ("Impersonate-Extra-Scopes%2Fteam", "blue"));

        Assert.Equal(HttpStatusCode.Created, code);
        var user = body["status"]!["userInfo"]!;
        Assert.Equal("bob", (string?)user["username"]);
        Assert.Equal("u-7", (string?)user["uid"]);
        Assert.Equal(["system:masters", "system:authenticated"], user["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal("blue", (string?)user["extra"]!["scopes/team"]![0]);
    }

    [Fact]
    public async Task Impersonate_Anonymous_IsUnauthenticatedNotAuthenticated()
    {
        var (code, body) = await PostAsAsync(Server.HttpAs("admin", "system:masters"), ("Impersonate-User", "system:anonymous"), ("Impersonate-Group", "system:masters"));

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal(["system:masters", "system:unauthenticated"], body["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => (string?)g));
    }

    [Fact]
    public async Task Impersonate_UserWithoutImpersonateRights_Is403AsKubernetes()
    {
        var (code, body) = await PostAsAsync(Server.HttpAs("mallory"), ("Impersonate-User", "admin"));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("users \"admin\" is forbidden: User \"mallory\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", (string?)body["message"]);
    }

    [Fact]
    public async Task Impersonate_GroupWithoutUser_Is400()
    {
        var (code, body) = await PostAsAsync(Server.HttpAs("admin", "system:masters"), ("Impersonate-Group", "system:masters"));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("without impersonating a user", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impersonate_AsUserWithoutRoles_RequestIsAuthorizedAsThatUser()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        request.Headers.Add("Impersonate-User", "bob");

        using var response = await Server.HttpAs("admin", "system:masters").SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("User \\\"bob\\\" cannot list resource \\\"pods\\\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
