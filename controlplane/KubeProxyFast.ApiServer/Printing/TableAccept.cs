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
    public static string? RequestedVersion(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return null;
        }

        foreach (var range in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries);
            if (!IsJson(parts[0]))
            {
                continue;
            }

            var (asKind, group, version) = ReadParameters(parts);
            if (asKind is null)
            {
                // A plain JSON range before any Table range: the client prefers the object itself.
                return null;
            }

            if (asKind == "Table" && group == Group && version is "v1" or "v1beta1")
            {
                return Group + "/" + version;
            }
        }

        return null;
    }

    /// <summary>The Content-Type of a Table response, e.g. <c>application/json;as=Table;v=v1;g=meta.k8s.io</c>.</summary>
    public static string ContentType(string groupVersion) =>
        "application/json;as=Table;v=" + groupVersion[(Group.Length + 1)..] + ";g=" + Group;

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType == "*/*"
        || mediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase);

    private static (string? AsKind, string? Group, string? Version) ReadParameters(string[] parts)
    {
        string? asKind = null, group = null, version = null;
        for (var i = 1; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var value = parts[i][(eq + 1)..].Trim().Trim('"');
            switch (parts[i][..eq].Trim().ToLowerInvariant())
            {
                case "as":
                    asKind = value;
                    break;
                case "g":
                    group = value;
                    break;
                case "v":
                    version = value;
                    break;
            }
        }

        return (asKind, group, version);
    }
}
