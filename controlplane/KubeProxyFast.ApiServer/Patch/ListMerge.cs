namespace KubeProxyFast.ApiServer.Patch;

/// <summary>
/// A list field whose Go type is tagged <c>patchStrategy:"merge"</c>: strategic merge patch
/// merges it with the live list instead of replacing it.
/// </summary>
/// <param name="MergeKey">
/// The <c>patchMergeKey</c> that identifies an element of a list of objects (<c>name</c> for
/// containers), or null for a list of primitives merged as a set (<c>metadata.finalizers</c>).
/// </param>
internal readonly record struct ListMerge(string? MergeKey);
