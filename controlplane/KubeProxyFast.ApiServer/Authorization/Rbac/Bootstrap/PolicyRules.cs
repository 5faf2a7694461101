using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.ApiServer.Authorization.Rbac.Bootstrap;

/// <summary>Short forms for writing the default policy's rules (Kubernetes' <c>rbacv1helpers.NewRule</c>).</summary>
internal static class PolicyRules
{
    /// <summary>get, list, watch.</summary>
    public static readonly string[] Read = ["get", "list", "watch"];

    /// <summary>create, update, patch, delete, deletecollection.</summary>
    public static readonly string[] Write = ["create", "update", "patch", "delete", "deletecollection"];

    /// <summary>Read and Write.</summary>
    public static readonly string[] ReadWrite = [.. Read, .. Write];

    /// <summary>The core group.</summary>
    public const string Core = "";

    /// <summary>A resource rule: <paramref name="verbs"/> on <paramref name="resources"/> of <paramref name="group"/>.</summary>
    public static PolicyRule Rule(string[] verbs, string group, params string[] resources) =>
        new() { Verbs = [.. verbs], ApiGroups = [group], Resources = [.. resources] };

    /// <summary>A resource rule limited to objects of <paramref name="names"/>.</summary>
    public static PolicyRule Named(string[] verbs, string group, string resource, params string[] names) =>
        new() { Verbs = [.. verbs], ApiGroups = [group], Resources = [resource], ResourceNames = [.. names] };

    /// <summary>A non-resource rule.</summary>
    public static PolicyRule Urls(string[] verbs, params string[] urls) => new() { Verbs = [.. verbs], NonResourceURLs = [.. urls] };

    /// <summary>Kubernetes' <c>eventsRule</c>: events written in the core group and events.k8s.io.</summary>
    public static PolicyRule Events() =>
        new() { Verbs = ["create", "update", "patch"], ApiGroups = [Core, "events.k8s.io"], Resources = ["events"] };
}
