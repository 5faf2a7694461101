using KubeProxyFast.ApiServer.Handlers;

namespace KubeProxyFast.ApiServer.Discovery;

/// <summary>
/// Content negotiation for <c>/api</c> and <c>/apis</c>. kubectl 1.30+ asks first for the
/// aggregated document — <c>application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList</c>,
/// then <c>v2beta1</c>, then plain <c>application/json</c> — and reads the answer's Content-Type to
/// know which one it got. The first media range the server can produce wins, as for Tables.
/// </summary>
internal static class DiscoveryAccept
{
    /// <summary>The aggregated discovery group.</summary>
    public const string Group = "apidiscovery.k8s.io";

    /// <summary>The kind of the aggregated document.</summary>
    public const string ListKind = "APIGroupDiscoveryList";

    /// <summary>The aggregated discovery version <paramref name="accept"/> asks for (<c>v2</c> or <c>v2beta1</c>), or null for the legacy documents.</summary>
    public static string? RequestedVersion(string? accept) => MediaRange.PreferredVersion(accept, ListKind, Group, "v2", "v2beta1");

    /// <summary>The Content-Type of an aggregated answer, carrying the g, v and as the client asked for.</summary>
    public static string ContentType(string version) => "application/json;g=" + Group + ";v=" + version + ";as=" + ListKind;
}
