using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Discovery;

namespace KubeProxyFast.ApiServer.Routing;

/// <summary>
/// The group version at the start of a request path: <c>/api/{version}/…</c> for the core group,
/// <c>/apis/{group}/{version}/…</c> for a named one. Only group versions this server serves match;
/// anything else under <c>/api</c> or <c>/apis</c> is a 404, as Kubernetes answers.
/// </summary>
internal static class GroupVersionPath
{
    /// <summary>Splits <paramref name="path"/> into a served group version and what follows it (empty, or starting with '/').</summary>
    public static bool TryParse(string path, out GroupVersion groupVersion, out string rest)
    {
        groupVersion = default;
        rest = "";
        int versionStart;
        string group;
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            group = "";
            versionStart = "/api/".Length;
        }
        else if (path.StartsWith("/apis/", StringComparison.Ordinal))
        {
            var groupEnd = path.IndexOf('/', "/apis/".Length);
            if (groupEnd < 0)
            {
                return false;
            }

            group = path["/apis/".Length..groupEnd];
            versionStart = groupEnd + 1;
        }
        else
        {
            return false;
        }

        var versionEnd = path.IndexOf('/', versionStart);
        var version = versionEnd < 0 ? path[versionStart..] : path[versionStart..versionEnd];
        var candidate = new GroupVersion(group, version);
        if (version.Length == 0 || !DiscoveryDocuments.IsServed(candidate))
        {
            return false;
        }

        groupVersion = candidate;
        rest = versionEnd < 0 ? "" : path[versionEnd..];
        return true;
    }

    /// <summary>The group of <c>/apis/{group}</c> (or with a trailing slash).</summary>
    public static bool TryParseGroup(string path, out string group)
    {
        group = "";
        if (!path.StartsWith("/apis/", StringComparison.Ordinal))
        {
            return false;
        }

        var name = path["/apis/".Length..].TrimEnd('/');
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            return false;
        }

        group = name;
        return true;
    }
}
