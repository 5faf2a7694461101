namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// Where objects live in the store, as Kubernetes lays out etcd:
/// <c>/registry/&lt;resource&gt;/&lt;namespace&gt;/&lt;name&gt;</c> for namespaced kinds and
/// <c>/registry/&lt;resource&gt;/&lt;name&gt;</c> for cluster-scoped ones.
/// </summary>
internal static class StoreKeys
{
    /// <summary>The root of every key this apiserver writes.</summary>
    public const string Root = "/registry/";

    /// <summary>The key of one object.</summary>
    public static string Object(string resource, string? ns, string name) =>
        ns is null ? Root + resource + "/" + name : Root + resource + "/" + ns + "/" + name;

    /// <summary>The prefix of every object of a resource (all namespaces).</summary>
    public static string Resource(string resource) => Root + resource + "/";

    /// <summary>The prefix of a resource's objects in one namespace.</summary>
    public static string Namespace(string resource, string ns) => Root + resource + "/" + ns + "/";
}
