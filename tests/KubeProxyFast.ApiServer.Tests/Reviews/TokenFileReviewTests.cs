using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Reviews;

/// <summary>TokenReview of a token from <c>--token-auth-file</c>: the file's user, uid and groups, with <c>system:authenticated</c>.</summary>
public sealed class TokenFileReviewTests : IAsyncLifetime
{
    private const string Token = "31ada4fd-adec-460c-809a-9e56ceb75269";
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), "kpf-review-tokens-" + Guid.NewGuid().ToString("N") + ".csv");
    private SecuredApiServer? _server;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_tokenFile, $"{Token},dana,uid-dana,\"dev,ops\"\n");
        _server = await SecuredApiServer.StartAsync(configure: s => s with { TokenAuthFile = _tokenFile });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        File.Delete(_tokenFile);
    }

    [Fact]
    public async Task TokenReview_TokenOfTheFile_AuthenticatedAsItsUser()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(_server!.HttpAs("admin", "system:masters"), "/apis/authentication.k8s.io/v1/tokenreviews",
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{Token}}}","audiences":["kubelet"]}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        var status = body["status"]!;
        Assert.True((bool)status["authenticated"]!);
        Assert.Equal(("dana", "uid-dana"), ((string?)status["user"]!["username"], (string?)status["user"]!["uid"]));
        Assert.Equal(["dev", "ops", "system:authenticated"], status["user"]!["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal(["kubelet"], status["audiences"]!.AsArray().Select(a => (string?)a));
        Assert.Null(status["error"]);
    }

    [Fact]
    public async Task TokenReview_OtherToken_NotAuthenticated()
    {
        var (code, body) = await SecuredServerFixture.PostAsync(_server!.HttpAs("admin", "system:masters"), "/apis/authentication.k8s.io/v1/tokenreviews",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"31ada4fd-0000-460c-809a-9e56ceb75269"}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Null(body["status"]!["authenticated"]);
        Assert.Equal("invalid bearer token", (string?)body["status"]!["error"]);
    }
}
