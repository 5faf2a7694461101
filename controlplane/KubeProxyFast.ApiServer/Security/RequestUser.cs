using KubeProxyFast.ApiServer.Authentication;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Security;

/// <summary>The authenticated user of a request, kept on its <see cref="HttpContext"/> for the handlers and admission.</summary>
internal static class RequestUser
{
    private static readonly object Key = new();

    /// <summary>Records <paramref name="user"/> as the request's user.</summary>
    public static void Set(HttpContext http, UserInfo user) => http.Items[Key] = user;

    /// <summary>The request's user; <see cref="UserInfo.Unsecured"/> on a server without authentication.</summary>
    public static UserInfo Get(HttpContext http) => http.Items.TryGetValue(Key, out var user) && user is UserInfo u ? u : UserInfo.Unsecured;
}
