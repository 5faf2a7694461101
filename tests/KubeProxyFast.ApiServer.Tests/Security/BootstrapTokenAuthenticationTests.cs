using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Security;

/// <summary>
/// Bootstrap tokens on a real HTTPS apiserver: the Secret is written through the API as an admin,
/// then the token is used as a bearer token. A bootstrapper may not list namespaces, so an
/// accepted token answers 403 naming <c>system:bootstrap:&lt;id&gt;</c>; a refused one answers 401.
/// </summary>
public sealed class BootstrapTokenAuthenticationTests
{
    [Fact]
    public async Task Request_ValidToken_AuthenticatesAsBootstrapUser()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var token = BootstrapToken.Generate();
        await CreateAsync(server, BootstrapTokenSecret.Build(token, new BootstrapTokenOptions { ExtraGroups = ["system:bootstrappers:kpf:nodes"] }));

        using var response = await server.HttpWithToken(token.Value).GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains($"User \\\"system:bootstrap:{token.Id}\\\" cannot list", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WrongSecret_Is401()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var token = BootstrapToken.Generate();
        await CreateAsync(server, BootstrapTokenSecret.Build(token, new BootstrapTokenOptions()));
        var wrong = token.Id + "." + token.Secret[..^1] + (token.Secret[^1] == 'a' ? 'b' : 'a');

        await AssertUnauthorizedAsync(server, wrong);
    }

    [Fact]
    public async Task Request_UnknownId_Is401()
    {
        await using var server = await SecuredApiServer.StartAsync();

        await AssertUnauthorizedAsync(server, BootstrapToken.Generate().Value);
    }

    [Fact]
    public async Task Request_TokenPastExpiration_Is401()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SecuredApiServer.StartAsync(configure: s => s with { Time = clock });
        var token = BootstrapToken.Generate();
        await CreateAsync(server, BootstrapTokenSecret.Build(token, new BootstrapTokenOptions { Expiration = clock.GetUtcNow().AddHours(1) }));
        using var before = await server.HttpWithToken(token.Value).GetAsync("/api/v1/namespaces");

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        await AssertUnauthorizedAsync(server, token.Value);
    }

    [Fact]
    public async Task Request_UnparsableExpiration_Is401()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var token = BootstrapToken.Generate();
        var secret = BootstrapTokenSecret.Build(token, new BootstrapTokenOptions());
        secret.Data![BootstrapTokenSecret.ExpirationKey] = "tomorrow"u8.ToArray();
        await CreateAsync(server, secret);

        await AssertUnauthorizedAsync(server, token.Value);
    }

    [Fact]
    public async Task Request_AuthenticationUsageNotTrue_Is401()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var token = BootstrapToken.Generate();
        var secret = BootstrapTokenSecret.Build(token, new BootstrapTokenOptions { Authentication = false, Signing = true });
        secret.Data![BootstrapTokenSecret.UsageAuthenticationKey] = "false"u8.ToArray();
        await CreateAsync(server, secret);

        await AssertUnauthorizedAsync(server, token.Value);
    }

    [Fact]
    public async Task Request_SecretOfAnotherType_Is401()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var token = BootstrapToken.Generate();
        var secret = BootstrapTokenSecret.Build(token, new BootstrapTokenOptions());
        secret.Type = SecretTypes.Opaque;
        await CreateAsync(server, secret);

        await AssertUnauthorizedAsync(server, token.Value);
    }

    [Fact]
    public async Task Request_ExtraGroupOutsideBootstrappers_Is401()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var token = BootstrapToken.Generate();
        var secret = BootstrapTokenSecret.Build(token, new BootstrapTokenOptions());
        // Written past Build's check, as a hand-made Secret could be: it must not make a superuser.
        secret.Data![BootstrapTokenSecret.ExtraGroupsKey] = "system:masters"u8.ToArray();
        await CreateAsync(server, secret);

        await AssertUnauthorizedAsync(server, token.Value);
    }

    [Fact]
    public async Task Request_SecretBeingDeletedThenDeleted_Is401()
    {
        await using var server = await SecuredApiServer.StartAsync();
        var admin = server.ClientAs("admin", UserInfo.SystemMasters);
        var token = BootstrapToken.Generate();
        var secret = BootstrapTokenSecret.Build(token, new BootstrapTokenOptions());
        secret.Metadata.Finalizers = ["kpf.test/hold"];
        await admin.CreateAsync(secret);
        using var before = await server.HttpWithToken(token.Value).GetAsync("/api/v1/namespaces");

        await admin.DeleteAsync<Secret>(BootstrapTokenSecret.Namespace, secret.Metadata.Name!);

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        await AssertUnauthorizedAsync(server, token.Value);
        await admin.PatchAsync<Secret>(BootstrapTokenSecret.Namespace, secret.Metadata.Name!, PatchType.Merge, "{\"metadata\":{\"finalizers\":null}}");
        await AssertUnauthorizedAsync(server, token.Value);
    }

    [Fact]
    public async Task Request_TokenOfOtherShape_FallsThroughTo401NotAnError()
    {
        await using var server = await SecuredApiServer.StartAsync();

        await AssertUnauthorizedAsync(server, "ABCDEF.0123456789abcdef");
    }

    private static async Task CreateAsync(SecuredApiServer server, Secret secret) =>
        await server.ClientAs("admin", UserInfo.SystemMasters).CreateAsync(secret);

    private static async Task AssertUnauthorizedAsync(SecuredApiServer server, string token)
    {
        using var response = await server.HttpWithToken(token).GetAsync("/api/v1/namespaces");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
    }
}
