namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// Who called the kubelet's API, as Kubernetes' <c>user.Info</c>: a client certificate's CN and O
/// values, or what a TokenReview said of a bearer token. SubjectAccessReviews are asked for it.
/// </summary>
/// <param name="Name">The user name.</param>
/// <param name="Uid">The uid, when the authenticator knows one.</param>
/// <param name="Groups">The groups.</param>
/// <param name="Extra">Extra attributes from a TokenReview, passed on to SubjectAccessReviews.</param>
public sealed record KubeletUser(string Name, string? Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A request without credentials when <c>--anonymous-auth</c> allows it.</summary>
    public static KubeletUser Anonymous { get; } = new("system:anonymous", null, ["system:unauthenticated"], NoExtra);

    /// <summary>A user with <paramref name="name"/> in <paramref name="groups"/>.</summary>
    public static KubeletUser Of(string name, IReadOnlyList<string> groups) => new(name, null, groups, NoExtra);

    /// <summary>A key naming the user completely (name, uid, groups, extra), for the authorization cache.</summary>
    internal string CacheKey =>
        string.Join('\u0001', [Name, Uid ?? "", string.Join('\u0002', Groups),
            string.Join('\u0002', Extra.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + string.Join('\u0003', e.Value)))]);
}
