using KubeProxyFast.ApiServer.Authorization;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Security;

/// <summary>
/// The authorizer that judged a request, kept on its <see cref="HttpContext"/> for admission that
/// asks further questions of it (may this user <c>approve</c> for this signer?).
/// </summary>
internal static class RequestAuthorizer
{
    private static readonly object Key = new();

    /// <summary>Records <paramref name="authorizer"/> as the request's.</summary>
    public static void Set(HttpContext http, IAuthorizer authorizer) => http.Items[Key] = authorizer;

    /// <summary>The request's authorizer; null on a server without authentication, where every request is allowed.</summary>
    public static IAuthorizer? Get(HttpContext http) => http.Items.TryGetValue(Key, out var authorizer) ? authorizer as IAuthorizer : null;
}
