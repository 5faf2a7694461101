using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Reviews;

/// <summary>SelfSubjectReview and SelfSubjectRulesReview: the requester as the server sees it, and what it may do.</summary>
public sealed class SelfSubjectReviewTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private SecuredApiServer Server => fixture.Server;

    [Fact]
    public async Task SelfSubjectReview_ClientCertificate_IsItsNameAndGroupsWithAuthenticated()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"),
            "/apis/authentication.k8s.io/v1/selfsubjectreviews", """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""");

        Assert.Equal(HttpStatusCode.Created, code);
        var user = body["status"]!["userInfo"]!;
        Assert.Equal("admin", (string?)user["username"]);
        Assert.Equal(["system:masters", "system:authenticated"], user["groups"]!.AsArray().Select(g => (string?)g));
        Assert.NotNull(body["metadata"]!["creationTimestamp"]);
    }

    [Fact]
    public async Task SelfSubjectRulesReview_Masters_AllowedEverything()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"),
            "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"default"}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        var rule = body["status"]!["resourceRules"]![0]!;
        Assert.Equal(("*", "*", "*"), ((string?)rule["verbs"]![0], (string?)rule["apiGroups"]![0], (string?)rule["resources"]![0]));
        Assert.Equal("*", (string?)body["status"]!["nonResourceRules"]![0]!["nonResourceURLs"]![0]);
    }

    [Fact]
    public async Task SelfSubjectRulesReview_NoNamespace_Is400AsKubernetes()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"),
            "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("no namespace on request", (string?)body["message"]);
    }
}
