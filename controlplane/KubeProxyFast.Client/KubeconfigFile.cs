using System.Text.Json;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client;

/// <summary>
/// The part of a kubeconfig this client uses: <c>clusters[].cluster.server</c> of the cluster that
/// the current context names (the only cluster, when there is no current context).
/// </summary>
internal static class KubeconfigFile
{
    public static Uri ReadServer(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var documents = YamlDocuments.ToJson(File.ReadAllText(path));
        if (documents.Count == 0)
        {
            throw new FormatException($"kubeconfig {path} is empty");
        }

        using var document = JsonDocument.Parse(documents[0]);
        var server = FindServer(document.RootElement, out var why);
        if (server is null || !Uri.TryCreate(server, UriKind.Absolute, out var uri))
        {
            throw new FormatException($"kubeconfig {path}: {why ?? $"server \"{server}\" is not an absolute URL"}");
        }

        return uri;
    }

    private static string? FindServer(JsonElement root, out string? why)
    {
        why = null;
        var clusters = Array(root, "clusters");
        string? clusterName = null;
        if (String(root, "current-context") is { Length: > 0 } current)
        {
            var context = Named(Array(root, "contexts"), current);
            clusterName = context is { } c && c.TryGetProperty("context", out var body) ? String(body, "cluster") : null;
            if (clusterName is null)
            {
                why = $"the current context \"{current}\" names no cluster";
                return null;
            }
        }
        else if (clusters.Count != 1)
        {
            why = "there is no current-context to choose among the clusters";
            return null;
        }

        var cluster = clusterName is null ? clusters[0] : Named(clusters, clusterName);
        var server = cluster is { } found && found.TryGetProperty("cluster", out var clusterBody) ? String(clusterBody, "server") : null;
        if (server is null)
        {
            why = $"cluster \"{clusterName}\" has no server";
        }

        return server;
    }

    private static List<JsonElement> Array(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray()]
            : [];

    private static JsonElement? Named(List<JsonElement> entries, string name)
    {
        foreach (var entry in entries)
        {
            if (String(entry, "name") == name)
            {
                return entry;
            }
        }

        return null;
    }

    private static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
