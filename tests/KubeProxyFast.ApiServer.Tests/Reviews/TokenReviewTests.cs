using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Reviews;

/// <summary>TokenReview: a token's user by the server's token authenticators; a bad token is an answer, never an HTTP error.</summary>
public sealed class TokenReviewTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private const string Path = "/apis/authentication.k8s.io/v1/tokenreviews";

    private SecuredApiServer Server => fixture.Server;

    [Fact]
    public async Task TokenReview_UnknownToken_NotAuthenticatedWithKubernetesError()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"), Path,
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"no-such-token"}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Null(body["status"]!["authenticated"]);
        Assert.Null(body["status"]!["user"]);
        Assert.Equal("invalid bearer token", (string?)body["status"]!["error"]);
        Assert.Equal("no-such-token", (string?)body["spec"]!["token"]);
    }

    [Fact]
    public async Task TokenReview_NoToken_Is400AsKubernetes()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"), Path,
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("token is required for TokenReview in authentication.k8s.io/__internal", (string?)body["message"]);
    }

    [Fact]
    public async Task TokenReview_UserWithoutCreateOnTokenReviews_Is403()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("alice"), Path,
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"x"}}""");

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.StartsWith("tokenreviews.authentication.k8s.io is forbidden: User \"alice\" cannot create resource \"tokenreviews\"", (string?)body["message"], StringComparison.Ordinal);
    }
}
