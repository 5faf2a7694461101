using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Reviews;

/// <summary>SubjectAccessReview and LocalSubjectAccessReview over HTTPS, judged by the server's authorizer chain.</summary>
public sealed class AccessReviewTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private const string SarPath = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private SecuredApiServer Server => fixture.Server;

    private static string Sar(string spec) =>
        """{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":""" + spec + "}";

    [Fact]
    public async Task SubjectAccessReview_AdminAboutUserWithoutRoles_NotAllowedNotDenied()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"), SarPath,
            Sar("""{"user":"bob","groups":["system:authenticated"],"resourceAttributes":{"namespace":"default","verb":"create","resource":"pods"}}"""));

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("SubjectAccessReview", (string?)body["kind"]);
        Assert.False((bool)body["status"]!["allowed"]!);
        Assert.Null(body["status"]!["denied"]);
        Assert.Equal("bob", (string?)body["spec"]!["user"]);
    }

    [Fact]
    public async Task SubjectAccessReview_AdminAboutMastersMember_Allowed()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"), SarPath,
            Sar("""{"user":"carol","groups":["system:masters"],"nonResourceAttributes":{"path":"/metrics","verb":"get"}}"""));

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.True((bool)body["status"]!["allowed"]!);
    }

    [Fact]
    public async Task SubjectAccessReview_UserWithoutCreateOnSubjectAccessReviews_Is403()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("alice"), SarPath,
            Sar("""{"user":"bob","resourceAttributes":{"verb":"get","resource":"pods"}}"""));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal(
            "subjectaccessreviews.authorization.k8s.io is forbidden: User \"alice\" cannot create resource \"subjectaccessreviews\" in API group \"authorization.k8s.io\" at the cluster scope",
            (string?)body["message"]);
    }

    [Fact]
    public async Task SubjectAccessReview_NoUserNorGroups_Is422AsKubernetes()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"), SarPath,
            Sar("""{"resourceAttributes":{"verb":"get","resource":"pods"}}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(
            "SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.user: Invalid value: \"\": at least one of user or group must be specified",
            (string?)body["message"]);
    }

    [Fact]
    public async Task SubjectAccessReview_BothOrNeitherAttributeSet_Is422AsKubernetes()
    {
        var admin = Server.HttpAs("admin", "system:masters");

        var (bothCode, both) = await SecuredServerFixture.PostAsync(admin, SarPath,
            Sar("""{"user":"bob","resourceAttributes":{"verb":"get","resource":"pods"},"nonResourceAttributes":{"path":"/healthz","verb":"get"}}"""));
        var (neitherCode, neither) = await SecuredServerFixture.PostAsync(admin, SarPath, Sar("""{"user":"bob"}"""));

        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity), (bothCode, neitherCode));
        Assert.Contains("spec.nonResourceAttributes: Invalid value: ", (string?)both["message"], StringComparison.Ordinal);
        Assert.EndsWith(": cannot be specified in combination with resourceAttributes", (string?)both["message"], StringComparison.Ordinal);
        Assert.Equal(
            "SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified",
            (string?)neither["message"]);
    }

    [Fact]
    public async Task SubjectAccessReview_WithMetadataName_Is422MustBeEmpty()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"), SarPath,
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","metadata":{"name":"x"},"spec":{"user":"bob","resourceAttributes":{"verb":"get","resource":"pods"}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.EndsWith(": must be empty", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalSubjectAccessReview_SpecNamespaceOfThePath_Answers()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"),
            "/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"LocalSubjectAccessReview","spec":{"user":"bob","groups":["system:masters"],"resourceAttributes":{"namespace":"team-a","verb":"delete","resource":"secrets"}}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("team-a", (string?)body["metadata"]!["namespace"]);
        Assert.True((bool)body["status"]!["allowed"]!);
    }

    [Fact]
    public async Task LocalSubjectAccessReview_SpecNamespaceOtherThanPath_Is422()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"),
            "/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"LocalSubjectAccessReview","spec":{"user":"bob","resourceAttributes":{"namespace":"team-b","verb":"get","resource":"pods"}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(
            "LocalSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes.namespace: Invalid value: \"team-b\": must match metadata.namespace",
            (string?)body["message"]);
    }

    [Fact]
    public async Task LocalSubjectAccessReview_BodyNamespaceOtherThanPath_Is400()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"),
            "/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"LocalSubjectAccessReview","metadata":{"namespace":"team-b"},"spec":{"user":"bob","resourceAttributes":{"namespace":"team-b","verb":"get","resource":"pods"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", (string?)body["message"]);
    }

    [Fact]
    public async Task LocalSubjectAccessReview_NonResourceAttributes_Is422Disallowed()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(Server.HttpAs("admin", "system:masters"),
            "/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"LocalSubjectAccessReview","spec":{"user":"bob","nonResourceAttributes":{"path":"/healthz","verb":"get"}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:\"/healthz\", Verb:\"get\"}: disallowed on this kind of request",
            (string?)body["message"], StringComparison.Ordinal);
    }
}
