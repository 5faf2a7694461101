namespace KubeProxyFast.Client;

/// <summary>Query parameters of a LIST.</summary>
public sealed record ListOptions
{
    /// <summary><c>labelSelector</c>, e.g. <c>app=web,tier!=db</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary><c>fieldSelector</c>, e.g. <c>spec.nodeName=n1</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary><c>limit</c>: the page size; 0 or null for everything at once.</summary>
    public int? Limit { get; init; }

    /// <summary><c>continue</c>: the token of the previous page's <c>metadata.continue</c>.</summary>
    public string? Continue { get; init; }

    /// <summary><c>resourceVersion</c>: read at (or after) this revision.</summary>
    public string? ResourceVersion { get; init; }
}

/// <summary>Query parameters of a WATCH.</summary>
public sealed record WatchOptions
{
    /// <summary>
    /// Changes after this revision; null (or "0") starts with the current objects as <c>ADDED</c>.
    /// A compacted revision fails with <see cref="KubeApiException.IsGone"/>.
    /// </summary>
    public string? ResourceVersion { get; init; }

    /// <summary><c>labelSelector</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary><c>fieldSelector</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary><c>timeoutSeconds</c>: the server ends the watch after this; null for its default.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary><c>allowWatchBookmarks</c>: ask for periodic <c>BOOKMARK</c> events carrying the current revision.</summary>
    public bool AllowWatchBookmarks { get; init; }
}

/// <summary>The kinds of PATCH the apiserver accepts.</summary>
public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch, <c>application/merge-patch+json</c>.</summary>
    Merge,

    /// <summary>Kubernetes' strategic merge patch, <c>application/strategic-merge-patch+json</c>.</summary>
    StrategicMerge,

    /// <summary>RFC 6902 JSON patch, <c>application/json-patch+json</c>.</summary>
    Json,
}
