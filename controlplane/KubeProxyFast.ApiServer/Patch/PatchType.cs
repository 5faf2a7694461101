namespace KubeProxyFast.ApiServer.Patch;

/// <summary>The patch formats the apiserver accepts, one per PATCH content type.</summary>
internal enum PatchType
{
    /// <summary><c>application/json-patch+json</c>: an RFC 6902 list of operations.</summary>
    Json,

    /// <summary><c>application/merge-patch+json</c>: an RFC 7386 merge patch.</summary>
    Merge,

    /// <summary><c>application/strategic-merge-patch+json</c>: Kubernetes' strategic merge patch.</summary>
    StrategicMerge,
}
