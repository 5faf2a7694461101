namespace KubeProxyFast.Client.Informers;

/// <summary>Which version of an object a cache holds under a key (<see cref="Lister{T}.VersionsByIndex"/>).</summary>
/// <param name="Key"><c>namespace/name</c>, or <c>name</c> for cluster-scoped kinds.</param>
/// <param name="ResourceVersion">The cached object's <c>metadata.resourceVersion</c>.</param>
public readonly record struct CachedVersion(string Key, string? ResourceVersion);
