using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// Kubernetes' impersonation filter (<c>kubectl --as</c>, <c>--as-group</c>, <c>--as-uid</c>): after
/// authentication, the headers <c>Impersonate-User</c>, <c>Impersonate-Group</c> (repeated),
/// <c>Impersonate-Uid</c> and <c>Impersonate-Extra-&lt;key&gt;</c> make the request act as another
/// user, once the real one is allowed <c>impersonate</c> on each thing asked for: <c>users</c> (or
/// <c>serviceaccounts</c> for <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>) and <c>groups</c>
/// by name, <c>uids</c> and <c>userextras/&lt;key&gt;</c> (group <c>authentication.k8s.io</c>) by
/// value — 403 worded as Kubernetes' otherwise. The headers are removed so nothing forwards them.
/// </summary>
internal static class Impersonation
{
    /// <summary>The user to act as.</summary>
    public const string UserHeader = "Impersonate-User";

    /// <summary>A group to act in; repeated for several.</summary>
    public const string GroupHeader = "Impersonate-Group";

    /// <summary>The uid to act with.</summary>
    public const string UidHeader = "Impersonate-Uid";

    /// <summary>The prefix of an extra attribute's header; the rest is its key (lower case, percent-decoded).</summary>
    public const string ExtraHeaderPrefix = "Impersonate-Extra-";

    private const string ServiceAccountPrefix = "system:serviceaccount:";
    private const string AuthenticationGroup = "authentication.k8s.io";

    /// <summary>
    /// The user <paramref name="requester"/>'s request acts as: itself without impersonation headers,
    /// else the impersonated user once <paramref name="authorizer"/> allows each part.
    /// </summary>
    /// <exception cref="StatusException">403 when a part is not allowed; 400 for groups, extras or a uid without a user.</exception>
    public static async ValueTask<UserInfo> ApplyAsync(HttpContext http, UserInfo requester, IAuthorizer authorizer, CancellationToken cancellationToken)
    {
        var headers = http.Request.Headers;
        var extraHeaders = headers.Keys.Where(h => h.StartsWith(ExtraHeaderPrefix, StringComparison.OrdinalIgnoreCase)).ToArray();
        var name = headers[UserHeader].FirstOrDefault() ?? "";
        var groupsAsked = headers[GroupHeader];
        var uid = headers[UidHeader].FirstOrDefault() ?? "";
        if (name.Length == 0 && groupsAsked.Count == 0 && uid.Length == 0 && extraHeaders.Length == 0)
        {
            return requester;
        }

        if (name.Length == 0)
        {
            throw StatusErrors.BadRequest("requested impersonation of groups, extra attributes or a uid without impersonating a user");
        }

        var groups = new List<string>();
        if (TrySplitServiceAccount(name, out var saNamespace, out var saName))
        {
            await CheckAsync(authorizer, Acting(requester, "", "serviceaccounts", saName) with { Namespace = saNamespace }, cancellationToken).ConfigureAwait(false);
            if (groupsAsked.Count == 0)
            {
                // A service account's groups are fixed by its name, as Kubernetes' MakeGroupNames.
                groups.AddRange(["system:serviceaccounts", "system:serviceaccounts:" + saNamespace]);
            }
        }
        else
        {
            await CheckAsync(authorizer, Acting(requester, "", "users", name), cancellationToken).ConfigureAwait(false);
        }

        foreach (var group in groupsAsked)
        {
            await CheckAsync(authorizer, Acting(requester, "", "groups", group ?? ""), cancellationToken).ConfigureAwait(false);
            groups.Add(group ?? "");
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var header in extraHeaders)
        {
            var key = Uri.UnescapeDataString(header[ExtraHeaderPrefix.Length..].ToLowerInvariant());
            var values = new List<string>();
            foreach (var value in headers[header])
            {
                await CheckAsync(authorizer, Acting(requester, AuthenticationGroup, "userextras", value ?? "") with { Subresource = key }, cancellationToken)
                    .ConfigureAwait(false);
                values.Add(value ?? "");
            }

            extra[key] = values;
        }

        if (uid.Length > 0)
        {
            await CheckAsync(authorizer, Acting(requester, AuthenticationGroup, "uids", uid), cancellationToken).ConfigureAwait(false);
        }

        AddAllGroup(name, groups);
        foreach (var header in (string[])[UserHeader, GroupHeader, UidHeader, .. extraHeaders])
        {
            headers.Remove(header);
        }

        return new UserInfo(name, uid.Length == 0 ? null : uid, groups, extra);
    }

    /// <summary>
    /// As Kubernetes: an impersonated user is in <c>system:authenticated</c> unless the groups asked
    /// for say it is unauthenticated; <c>system:anonymous</c> is in <c>system:unauthenticated</c>.
    /// </summary>
    private static void AddAllGroup(string name, List<string> groups)
    {
        if (name == UserInfo.AnonymousName)
        {
            if (!groups.Contains(UserInfo.SystemUnauthenticated))
            {
                groups.Add(UserInfo.SystemUnauthenticated);
            }
        }
        else if (!groups.Contains(UserInfo.SystemAuthenticated) && !groups.Contains(UserInfo.SystemUnauthenticated))
        {
            groups.Add(UserInfo.SystemAuthenticated);
        }
    }

    private static AuthorizationAttributes Acting(UserInfo requester, string group, string resource, string name) => new()
    {
        User = requester,
        Verb = "impersonate",
        IsResourceRequest = true,
        ApiGroup = group,
        Resource = resource,
        Name = name,
    };

    private static async ValueTask CheckAsync(IAuthorizer authorizer, AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        var decision = await authorizer.AuthorizeAsync(attributes, cancellationToken).ConfigureAwait(false);
        if (decision.Decision != Decision.Allow)
        {
            throw StatusErrors.Forbidden(attributes, decision.Reason);
        }
    }

    /// <summary><c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>, as Kubernetes' <c>serviceaccount.SplitUsername</c>.</summary>
    private static bool TrySplitServiceAccount(string user, out string ns, out string name)
    {
        ns = name = "";
        if (!user.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = user[ServiceAccountPrefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        (ns, name) = (parts[0], parts[1]);
        return true;
    }
}
