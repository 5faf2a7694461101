using System.Text.Json;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.ApiServer.Discovery;

/// <summary>
/// The aggregated discovery document (apidiscovery.k8s.io <c>APIGroupDiscoveryList</c>, v2 and
/// v2beta1 share the shape): every group, version and resource in one answer, so kubectl 1.30+
/// discovers the whole API in two requests (<c>/api</c> for the core group, <c>/apis</c> for the
/// named ones) instead of one per group version. Read from <see cref="KubeKinds"/>, as the legacy documents.
/// </summary>
internal static class AggregatedDiscovery
{
    /// <summary>Writes the list for the core group (<paramref name="core"/>, at <c>/api</c>) or the named groups (<c>/apis</c>).</summary>
    public static void Write(Utf8JsonWriter writer, string version, bool core)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", DiscoveryAccept.ListKind);
        writer.WriteString("apiVersion", DiscoveryAccept.Group + "/" + version);
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteStartArray("items");
        if (core)
        {
            WriteGroup(writer, "", KubeKinds.ServedGroupVersions.Where(gv => gv.IsCore).ToArray());
        }
        else
        {
            foreach (var (name, versions) in DiscoveryDocuments.Groups)
            {
                WriteGroup(writer, name, versions);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteGroup(Utf8JsonWriter writer, string name, IReadOnlyList<GroupVersion> versions)
    {
        writer.WriteStartObject();
        // ObjectMeta as Kubernetes writes it here: the core group has no name.
        writer.WriteStartObject("metadata");
        if (name.Length > 0)
        {
            writer.WriteString("name", name);
        }

        writer.WriteNull("creationTimestamp");
        writer.WriteEndObject();
        writer.WriteStartArray("versions");
        foreach (var groupVersion in versions)
        {
            writer.WriteStartObject();
            writer.WriteString("version", groupVersion.Version);
            writer.WriteStartArray("resources");
            foreach (var kind in KubeKinds.ServedIn(groupVersion))
            {
                WriteResource(writer, kind);
            }

            writer.WriteEndArray();
            writer.WriteString("freshness", "Current");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter writer, KindInfo kind)
    {
        writer.WriteStartObject();
        writer.WriteString("resource", kind.Resource);
        WriteResponseKind(writer, kind.GroupVersion, kind.Kind);
        writer.WriteString("scope", kind.Namespaced ? "Namespaced" : "Cluster");
        writer.WriteString("singularResource", kind.SingularName);
        DiscoveryDocuments.WriteStrings(writer, "verbs", kind.Verbs, omitEmpty: false);
        DiscoveryDocuments.WriteStrings(writer, "shortNames", kind.ShortNames, omitEmpty: true);
        DiscoveryDocuments.WriteStrings(writer, "categories", kind.Categories, omitEmpty: true);
        if (kind.Subresources.Count > 0)
        {
            writer.WriteStartArray("subresources");
            foreach (var sub in kind.Subresources)
            {
                writer.WriteStartObject();
                writer.WriteString("subresource", sub.Name);
                WriteResponseKind(writer, sub.ResponseKind, sub.Kind);
                DiscoveryDocuments.WriteStrings(writer, "verbs", sub.Verbs, omitEmpty: false);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteResponseKind(Utf8JsonWriter writer, GroupVersion groupVersion, string kind)
    {
        writer.WriteStartObject("responseKind");
        writer.WriteString("group", groupVersion.Group);
        writer.WriteString("version", groupVersion.Version);
        writer.WriteString("kind", kind);
        writer.WriteEndObject();
    }
}
