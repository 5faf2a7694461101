namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// What a request to the kubelet's API asks to do, as Kubernetes' kubelet names it for
/// authorization: a verb from the method and the <c>nodes</c> resource of this node, with the
/// subresources to check in order — the fine-grained one first (<c>pods</c>, <c>healthz</c>,
/// <c>configz</c>, <c>statusz</c>; KubeletFineGrainedAuthz, on by default since 1.33) and then
/// <c>stats</c>, <c>metrics</c>, <c>log</c>, <c>checkpoint</c> or, for everything else, <c>proxy</c>.
/// Any one allowed lets the request through.
/// </summary>
/// <param name="Verb">The API verb: get, create, update, patch, delete.</param>
/// <param name="NodeName">This node.</param>
/// <param name="Subresources">The subresources of <c>nodes</c> to try, in order.</param>
/// <param name="Path">The request path.</param>
public sealed record NodeRequestAttributes(string Verb, string NodeName, IReadOnlyList<string> Subresources, string Path)
{
    /// <summary>The resource every kubelet API request is authorized as.</summary>
    public const string Resource = "nodes";

    /// <summary>The attributes of <paramref name="method"/> on <paramref name="path"/> on node <paramref name="nodeName"/>.</summary>
    public static NodeRequestAttributes Of(string method, string path, string nodeName)
    {
        List<string> subresources = [];
        if (FineGrained(path) is { } fine)
        {
            subresources.Add(fine);
        }

        subresources.Add(
            IsSubpath(path, "/stats") ? "stats"
            : IsSubpath(path, "/metrics") ? "metrics"
            : IsSubpath(path, "/logs") ? "log"
            : IsSubpath(path, "/checkpoint") ? "checkpoint"
            : "proxy");
        return new NodeRequestAttributes(VerbOf(method), nodeName, subresources, path);
    }

    /// <summary>
    /// The verb of a method, as the kubelet maps it. HEAD reads like GET (the kubelet leaves its
    /// verb empty, which no RBAC rule but <c>*</c> matches; a HEAD answers nothing GET would not).
    /// </summary>
    public static string VerbOf(string method) => method switch
    {
        "GET" or "HEAD" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => "",
    };

    /// <summary>The 403 body, worded as the kubelet's: <c>Forbidden (user=…, verb=…, resource=nodes, subresource(s)=[pods proxy])</c>.</summary>
    public string ForbiddenMessage(KubeletUser user) =>
        $"Forbidden (user={user.Name}, verb={Verb}, resource={Resource}, subresource(s)=[{string.Join(' ', Subresources)}])\n";

    private static string? FineGrained(string path) =>
        IsSubpath(path, "/pods") || IsSubpath(path, "/runningpods") ? "pods"
        : IsSubpath(path, "/healthz") ? "healthz"
        : IsSubpath(path, "/configz") ? "configz"
        : IsSubpath(path, "/statusz") ? "statusz"
        : null;

    /// <summary>The path itself or below it (<c>/stats</c>, <c>/stats/summary</c>; not <c>/statsx</c>).</summary>
    private static bool IsSubpath(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');
}
