using KubeProxyFast.ApiServer.Handlers;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>
/// Content negotiation for Tables. kubectl get sends
/// <c>application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json</c>:
/// the first media range the server can produce wins, so a client that lists plain JSON first
/// gets plain JSON.
/// </summary>
internal static class TableAccept
{
    /// <summary>The Table's group/version that kubectl 1.20+ prefers.</summary>
    public const string GroupVersionV1 = "meta.k8s.io/v1";

    /// <summary>The older group/version, still accepted by kubectl.</summary>
    public const string GroupVersionV1Beta1 = "meta.k8s.io/v1beta1";

    private const string Group = "meta.k8s.io";

    /// <summary>
    /// The Table group/version asked for by <paramref name="accept"/>, or null when the client
    /// prefers a plain object (or asked for no Table at all).
    /// </summary>
    public static string? RequestedVersion(string? accept) =>
        MediaRange.PreferredVersion(accept, "Table", Group, "v1", "v1beta1") is { } version ? Group + "/" + version : null;

    /// <summary>The Content-Type of a Table response, e.g. <c>application/json;as=Table;v=v1;g=meta.k8s.io</c>.</summary>
    public static string ContentType(string groupVersion) =>
        "application/json;as=Table;v=" + groupVersion[(Group.Length + 1)..] + ";g=" + Group;
}
