using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Tests.Authentication;

/// <summary>What <see cref="Impersonation"/> asks the authorizer and which user it makes, with an authorizer that records every question.</summary>
public sealed class ImpersonationRulesTests
{
    private static readonly UserInfo Admin = UserInfo.Of("root", "ops", UserInfo.SystemAuthenticated);

    private sealed class Recording(Func<AuthorizationAttributes, bool> allow) : IAuthorizer
    {
        public List<AuthorizationAttributes> Asked { get; } = [];

        public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
        {
            Asked.Add(attributes);
            return ValueTask.FromResult(allow(attributes) ? AuthorizationDecision.Allowed() : AuthorizationDecision.NoOpinion());
        }
    }

    private static DefaultHttpContext Request(params (string Name, string[] Values)[] headers)
    {
        var http = new DefaultHttpContext();
        foreach (var (name, values) in headers)
        {
            http.Request.Headers[name] = values;
        }

        return http;
    }

    [Fact]
    public async Task Apply_NoHeaders_IsTheRequesterWithoutAskingAnything()
    {
        var authorizer = new Recording(_ => false);

        var user = await Impersonation.ApplyAsync(Request(), Admin, authorizer, CancellationToken.None);

        Assert.Same(Admin, user);
        Assert.Empty(authorizer.Asked);
    }

    [Fact]
    public async Task Apply_EveryKindOfHeader_AsksImpersonateOnEachAsKubernetes()
    {
        var authorizer = new Recording(_ => true);
        var http = Request(("Impersonate-User", ["bob"]), ("Impersonate-Group", ["dev", "qa"]), ("Impersonate-Uid", ["u-1"]), ("Impersonate-Extra-Scopes", ["a", "b"]));

        var user = await Impersonation.ApplyAsync(http, Admin, authorizer, CancellationToken.None);

        Assert.Equal(
            [("", "users", "", "bob"), ("", "groups", "", "dev"), ("", "groups", "", "qa"), ("authentication.k8s.io", "userextras", "scopes", "a"),
             ("authentication.k8s.io", "userextras", "scopes", "b"), ("authentication.k8s.io", "uids", "", "u-1")],
            authorizer.Asked.Select(a => (a.ApiGroup, a.Resource, a.Subresource, a.Name)));
        Assert.All(authorizer.Asked, a => Assert.Equal(("impersonate", "root"), (a.Verb, a.User.Name)));
        Assert.Equal(("bob", "u-1"), (user.Name, user.Uid));
        Assert.Equal(["dev", "qa", UserInfo.SystemAuthenticated], user.Groups);
        Assert.Equal(["a", "b"], user.Extra["scopes"]);
        Assert.False(http.Request.Headers.ContainsKey("Impersonate-User"));
        Assert.False(http.Request.Headers.ContainsKey("Impersonate-Extra-Scopes"));
    }

    [Fact]
    public async Task Apply_ServiceAccountWithoutGroups_ChecksServiceAccountsAndAddsItsGroups()
    {
        var authorizer = new Recording(_ => true);

        var user = await Impersonation.ApplyAsync(Request(("Impersonate-User", ["system:serviceaccount:ci:builder"])), Admin, authorizer, CancellationToken.None);

        var asked = Assert.Single(authorizer.Asked);
        Assert.Equal(("serviceaccounts", "ci", "builder"), (asked.Resource, asked.Namespace, asked.Name));
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:ci", UserInfo.SystemAuthenticated], user.Groups);
    }

    [Fact]
    public async Task Apply_GroupAllowedButUserNot_Is403NamingTheUser()
    {
        var authorizer = new Recording(a => a.Resource == "groups");

        var e = await Assert.ThrowsAsync<StatusException>(async () =>
            await Impersonation.ApplyAsync(Request(("Impersonate-User", ["bob"]), ("Impersonate-Group", ["dev"])), Admin, authorizer, CancellationToken.None));

        Assert.Equal(403, e.Code);
        Assert.Equal("users \"bob\" is forbidden: User \"root\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", e.Status.Message);
    }

    [Fact]
    public async Task Apply_ExtraValueNotAllowed_Is403NamingTheExtraSubresource()
    {
        var authorizer = new Recording(a => a.Resource != "userextras");

        var e = await Assert.ThrowsAsync<StatusException>(async () =>
            await Impersonation.ApplyAsync(Request(("Impersonate-User", ["bob"]), ("Impersonate-Extra-Scopes", ["x"])), Admin, authorizer, CancellationToken.None));

        Assert.Equal(
            "userextras.authentication.k8s.io \"x\" is forbidden: User \"root\" cannot impersonate resource \"userextras/scopes\" in API group \"authentication.k8s.io\" at the cluster scope",
            e.Status.Message);
    }

    [Fact]
    public async Task Apply_UidWithoutUser_Is400()
    {
        var e = await Assert.ThrowsAsync<StatusException>(async () =>
            await Impersonation.ApplyAsync(Request(("Impersonate-Uid", ["u-1"])), Admin, new Recording(_ => true), CancellationToken.None));

        Assert.Equal(400, e.Code);
    }
}
