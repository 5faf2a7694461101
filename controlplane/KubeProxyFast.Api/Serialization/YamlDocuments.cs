using KubeProxyFast.Api.Serialization.Yaml;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// YAML manifests to JSON, the way kubectl reads them: a stream of documents separated by
/// <c>---</c>, empty documents skipped, each turned into the equivalent JSON document. Plain
/// scalars are typed by the YAML 1.2 core schema (so <c>port: 80</c> is a number and
/// <c>port: "80"</c> a string); anchors, aliases and merge keys are resolved. Decoding is bounded
/// in nesting, nodes, alias expansion and JSON written (see <see cref="YamlLimits"/>): a body
/// that passes a limit is refused with an error naming it, in time and memory proportional to
/// its length.
/// </summary>
public static class YamlDocuments
{
    /// <summary>Converts every non-empty document of <paramref name="yaml"/> to UTF-8 JSON.</summary>
    /// <exception cref="KubeDecodeException">The YAML is malformed, cannot be expressed as JSON, or passes a limit (the message names it).</exception>
    public static IReadOnlyList<byte[]> ToJson(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var writer = new YamlJsonWriter(yaml.Length);
        var documents = new List<byte[]>();
        foreach (var root in YamlTreeReader.Read(yaml))
        {
            if (root is not null)
            {
                documents.Add(writer.Write(root));
            }
        }

        return documents;
    }

    /// <summary>Decodes every document of <paramref name="yaml"/> as a typed API object.</summary>
    /// <exception cref="KubeDecodeException">Malformed YAML, or a document that is not a valid object; the message names the document.</exception>
    public static IReadOnlyList<Meta.KubeObject> ToObjects(string yaml)
    {
        var documents = ToJson(yaml);
        var objects = new List<Meta.KubeObject>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            try
            {
                objects.Add(KubeJson.DeserializeObject(documents[i]));
            }
            catch (KubeDecodeException e)
            {
                throw new KubeDecodeException(e.Field, $"document {i + 1}: {e.Detail}", e);
            }
        }

        return objects;
    }
}
