using KubeProxyFast.ApiServer.Authentication;
using ApiUserInfo = KubeProxyFast.Api.Authentication.UserInfo;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>Users between the server's <see cref="UserInfo"/> and the reviews' JSON forms.</summary>
internal static class ReviewUsers
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>authentication.k8s.io/v1 UserInfo of <paramref name="user"/> (empty lists and maps left out, as Go's omitempty).</summary>
    public static ApiUserInfo ToApi(UserInfo user) => new()
    {
        Username = user.Name,
        Uid = string.IsNullOrEmpty(user.Uid) ? null : user.Uid,
        Groups = user.Groups.Count == 0 ? null : [.. user.Groups],
        Extra = ToApi(user.Extra),
    };

    /// <summary>The extra map as JSON carries it; null when empty.</summary>
    public static Dictionary<string, List<string>>? ToApi(IReadOnlyDictionary<string, IReadOnlyList<string>> extra) =>
        extra.Count == 0 ? null : extra.ToDictionary(e => e.Key, e => e.Value.ToList(), StringComparer.Ordinal);

    /// <summary>The server's form of a review's extra map.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FromApi(Dictionary<string, List<string>>? extra) =>
        extra is null || extra.Count == 0
            ? NoExtra
            : extra.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value.ToArray(), StringComparer.Ordinal);
}
