namespace KubeProxyFast.ApiServer.Patch;

/// <summary>Maps a PATCH request's <c>Content-Type</c> to a <see cref="PatchType"/>.</summary>
internal static class PatchMediaTypes
{
    /// <summary>The RFC 6902 media type.</summary>
    public const string JsonPatch = "application/json-patch+json";

    /// <summary>The RFC 7386 media type.</summary>
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>Kubernetes' strategic merge patch media type.</summary>
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";

    /// <summary>The patch media types, as a 415 lists them.</summary>
    public const string Accepted = JsonPatch + ", " + MergePatch + ", " + StrategicMergePatch;

    /// <summary>
    /// The patch type of <paramref name="contentType"/>, ignoring parameters such as
    /// <c>charset</c> and letter case. False for anything else, including server-side apply's
    /// <c>application/apply-patch+yaml</c>, which this apiserver does not serve (answer 415).
    /// </summary>
    public static bool TryParse(string? contentType, out PatchType type)
    {
        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        mediaType = mediaType.Trim();
        if (mediaType.Equals(JsonPatch, StringComparison.OrdinalIgnoreCase))
        {
            type = PatchType.Json;
            return true;
        }

        if (mediaType.Equals(MergePatch, StringComparison.OrdinalIgnoreCase))
        {
            type = PatchType.Merge;
            return true;
        }

        if (mediaType.Equals(StrategicMergePatch, StringComparison.OrdinalIgnoreCase))
        {
            type = PatchType.StrategicMerge;
            return true;
        }

        type = default;
        return false;
    }
}
