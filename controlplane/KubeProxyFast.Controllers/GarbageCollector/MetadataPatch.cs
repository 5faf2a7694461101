using System.Buffers;
using System.Text;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Controllers.GarbageCollector;

/// <summary>
/// JSON merge patches of <c>metadata</c> that carry the resourceVersion they were computed from:
/// the apiserver refuses one whose object changed meanwhile (409), so a list the collector
/// rewrites never drops what another writer added; the collector then retries from a fresh read.
/// </summary>
internal static class MetadataPatch
{
    /// <summary>Sets <c>metadata.ownerReferences</c> to <paramref name="owners"/> (null when empty).</summary>
    public static string OwnerReferences(IReadOnlyList<OwnerReference> owners, string? resourceVersion) =>
        Write(resourceVersion, writer =>
        {
            writer.WritePropertyName("ownerReferences");
            if (owners.Count == 0)
            {
                writer.WriteNullValue();
            }
            else
            {
                KubeJson.Serialize(writer, owners.ToList());
            }
        });

    /// <summary>Sets <c>metadata.finalizers</c> to <paramref name="finalizers"/> (null when empty).</summary>
    public static string Finalizers(IReadOnlyList<string> finalizers, string? resourceVersion) =>
        Write(resourceVersion, writer =>
        {
            writer.WritePropertyName("finalizers");
            if (finalizers.Count == 0)
            {
                writer.WriteNullValue();
                return;
            }

            writer.WriteStartArray();
            foreach (var finalizer in finalizers)
            {
                writer.WriteStringValue(finalizer);
            }

            writer.WriteEndArray();
        });

    private static string Write(string? resourceVersion, Action<System.Text.Json.Utf8JsonWriter> field)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = KubeJson.CreateWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            if (resourceVersion is not null)
            {
                writer.WriteString("resourceVersion", resourceVersion);
            }

            field(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
