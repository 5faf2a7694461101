using System.Text;
using System.Text.Json;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.KubeProxy.Config;

/// <summary>
/// The text of a services file to API objects, as <c>kubectl apply -f</c> reads a manifest: YAML
/// (documents separated by <c>---</c>) or JSON; a <c>kind: List</c> document contributes its
/// <c>items</c>; an object without a namespace goes to <c>default</c>.
/// </summary>
public static class ConfigFileReader
{
    private const string DefaultNamespace = "default";

    /// <summary>Decodes <paramref name="text"/>; on failure <paramref name="error"/> names the document and field.</summary>
    public static bool TryRead(string text, out IReadOnlyList<ConfigObject> objects, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        objects = [];
        var body = text.TrimStart('\uFEFF');
        IReadOnlyList<byte[]> documents;
        try
        {
            // JSON is read as JSON, not as YAML: YAML forbids the tabs that JSON files often indent with.
            documents = body.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal)
                ? [Encoding.UTF8.GetBytes(body)]
                : YamlDocuments.ToJson(body);
        }
        catch (KubeDecodeException e)
        {
            error = e.Message;
            return false;
        }

        if (documents.Count == 0)
        {
            // A file caught half-written (truncated, not yet refilled) must not withdraw every
            // service; a file that really means "serve nothing" says so with an empty List.
            error = "the file has no documents; to serve no services write \"apiVersion: v1\", \"kind: List\", \"items: []\"";
            return false;
        }

        var decoded = new List<ConfigObject>();
        for (var i = 0; i < documents.Count; i++)
        {
            var origin = $"document {i + 1}";
            if (!TryReadDocument(documents[i], origin, decoded, out error))
            {
                return false;
            }
        }

        objects = decoded;
        error = "";
        return true;
    }

    private static bool TryReadDocument(byte[] json, string origin, List<ConfigObject> decoded, out string error)
    {
        JsonDocument document;
        try
        {
            document = KubeJson.ParseDocument(json);
        }
        catch (KubeDecodeException e)
        {
            error = $"{origin}: {e.Message}";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (!IsList(root))
            {
                return TryAdd(root, origin, decoded, out error);
            }

            if (!root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                error = $"{origin}: items: a List must have an array of items";
                return false;
            }

            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (!TryAdd(item, $"{origin}, items[{index++}]", decoded, out error))
                {
                    return false;
                }
            }

            error = "";
            return true;
        }
    }

    private static bool IsList(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object &&
        root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.ValueEquals("List") &&
        root.TryGetProperty("apiVersion", out var version) && version.ValueKind == JsonValueKind.String && version.ValueEquals("v1");

    private static bool TryAdd(JsonElement element, string origin, List<ConfigObject> decoded, out string error)
    {
        KubeObject obj;
        try
        {
            obj = KubeJson.DeserializeObject(element);
        }
        catch (KubeDecodeException e)
        {
            error = $"{origin}: {e.Message}";
            return false;
        }

        if (string.IsNullOrEmpty(obj.Metadata.Namespace) && KubeKinds.Find(obj.GetType()) is { Namespaced: true })
        {
            obj.Metadata.Namespace = DefaultNamespace;
        }

        decoded.Add(new ConfigObject(obj, origin));
        error = "";
        return true;
    }
}
