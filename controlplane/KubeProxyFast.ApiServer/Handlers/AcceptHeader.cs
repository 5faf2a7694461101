namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>One media range of an Accept header, with the parameters Kubernetes negotiates on (<c>as</c>, <c>g</c>, <c>v</c>).</summary>
/// <param name="IsJson">True for <c>application/json</c>, <c>application/*</c> and <c>*/*</c>: ranges this server can answer.</param>
/// <param name="As">The <c>as</c> parameter (a kind, e.g. <c>Table</c>), or null.</param>
/// <param name="Group">The <c>g</c> parameter, or null.</param>
/// <param name="Version">The <c>v</c> parameter, or null.</param>
internal readonly record struct MediaRange(bool IsJson, string? As, string? Group, string? Version)
{
    /// <summary>The ranges of <paramref name="accept"/>, in the client's order (the first one the server can produce wins).</summary>
    public static IEnumerable<MediaRange> Parse(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            yield break;
        }

        foreach (var range in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries);
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

            yield return new MediaRange(IsJsonType(parts[0]), asKind, group, version);
        }
    }

    /// <summary>
    /// The <c>v</c> of the first JSON range of <paramref name="accept"/> that asks for
    /// <paramref name="kind"/> in <paramref name="group"/> at one of <paramref name="versions"/>; null when
    /// a plain JSON range comes first (the client prefers the ordinary document) or no range matches.
    /// Ranges the server cannot produce (e.g. protobuf) are passed over, so the next range decides.
    /// </summary>
    public static string? PreferredVersion(string? accept, string kind, string group, params ReadOnlySpan<string> versions)
    {
        foreach (var range in Parse(accept))
        {
            if (!range.IsJson)
            {
                continue;
            }

            if (range.As is null)
            {
                return null;
            }

            if (range.As == kind && range.Group == group && range.Version is { } version && versions.Contains(version))
            {
                return version;
            }
        }

        return null;
    }

    private static bool IsJsonType(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType == "*/*"
        || mediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase);
}
