using System.Net;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Reviews;

/// <summary>
/// The create-only resources as Kubernetes serves them: in discovery and OpenAPI with the one verb
/// create, a POST to the collection answered, every other method refused, nothing stored; on a
/// server without security, access reviews answer as AlwaysAllow.
/// </summary>
public sealed class CreateOnlyHandlerTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private SecuredApiServer Server => fixture.Server;

    [Fact]
    public async Task Discovery_AuthorizationGroup_ListsReviewsWithCreateOnly()
    {
        var body = JsonNode.Parse(await Server.HttpAs("admin", "system:masters").GetStringAsync("/apis/authorization.k8s.io/v1"))!;

        var resources = body["resources"]!.AsArray();
        Assert.Equal(
            ["localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews"],
            resources.Select(r => (string?)r!["name"]));
        Assert.All(resources, r => Assert.Equal(["create"], r!["verbs"]!.AsArray().Select(v => (string?)v)));
        Assert.True((bool)resources[0]!["namespaced"]!);
    }

    [Fact]
    public async Task OpenApiV3_AuthenticationGroup_HasOnlyThePostOfEachCollection()
    {
        var http = Server.HttpAs("admin", "system:masters");
        var index = JsonNode.Parse(await http.GetStringAsync("/openapi/v3"))!;
        var url = (string?)index["paths"]!["apis/authentication.k8s.io/v1"]!["serverRelativeURL"];

        var document = JsonNode.Parse(await http.GetStringAsync(url))!;

        var paths = document["paths"]!.AsObject();
        Assert.Equal(["/apis/authentication.k8s.io/v1/selfsubjectreviews", "/apis/authentication.k8s.io/v1/tokenreviews"], paths.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["post"], paths["/apis/authentication.k8s.io/v1/tokenreviews"]!.AsObject().Select(p => p.Key));
        Assert.Equal("createAuthenticationV1TokenReview", (string?)paths["/apis/authentication.k8s.io/v1/tokenreviews"]!["post"]!["operationId"]);
    }

    [Fact]
    public async Task Get_ReviewCollectionAndItem_Are405And404()
    {
        var http = Server.HttpAs("admin", "system:masters");

        using var collection = await http.GetAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews");
        using var item = await http.GetAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews/x");
        using var clusterWideLocal = await http.PostAsync("/apis/authorization.k8s.io/v1/localsubjectaccessreviews", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, collection.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, item.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, clusterWideLocal.StatusCode);
    }

    [Fact]
    public async Task SubjectAccessReview_PlainHttpServer_AllowedAsAlwaysAllow()
    {
        await using var server = await TestApiServer.StartAsync();

        using var response = await server.PostJsonAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"bob","resourceAttributes":{"verb":"delete","resource":"nodes"}}}""");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True((bool)body["status"]!["allowed"]!);
    }
}
