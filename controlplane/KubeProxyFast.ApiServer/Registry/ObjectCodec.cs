using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// Objects to and from the store. The stored JSON carries no resourceVersion: it is the key's mod
/// revision, set on the way out — decoded objects get it as a field, raw bytes get it spliced into
/// <c>metadata</c> without a decode, which is what keeps large lists and watch fan-out cheap.
/// </summary>
internal static class ObjectCodec
{
    private static ReadOnlySpan<byte> MetadataOpen => "\"metadata\":{"u8;

    /// <summary>The bytes stored for <paramref name="obj"/> (its resourceVersion left out).</summary>
    public static byte[] Encode(KubeObject obj)
    {
        var resourceVersion = obj.Metadata.ResourceVersion;
        obj.Metadata.ResourceVersion = null;
        try
        {
            return KubeJson.SerializeObject(obj);
        }
        finally
        {
            obj.Metadata.ResourceVersion = resourceVersion;
        }
    }

    /// <summary>Decodes a stored value of <paramref name="resource"/>, with its resourceVersion.</summary>
    public static KubeObject Decode(ResourceDefinition resource, StoreValue value) => Decode(resource, value.Value, value.ModRevision);

    /// <summary>Decodes stored bytes of <paramref name="resource"/> written at <paramref name="revision"/>.</summary>
    public static KubeObject Decode(ResourceDefinition resource, ReadOnlyMemory<byte> bytes, long revision)
    {
        KubeObject obj;
        try
        {
            obj = KubeJson.Deserialize(bytes.Span, resource.Type);
        }
        catch (KubeDecodeException e)
        {
            // Only this apiserver writes these keys; a value it cannot read is damage, not a client error.
            throw StatusErrors.Internal($"stored {resource.SingularName} cannot be decoded: {e.Message}");
        }

        obj.Metadata.ResourceVersion = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        obj.Kind ??= resource.Kind;
        obj.ApiVersion ??= resource.ApiVersion;
        return obj;
    }

    /// <summary>A deep copy of <paramref name="obj"/> (the "before" of a change that edits the object in place).</summary>
    public static KubeObject Copy(ResourceDefinition resource, KubeObject obj)
    {
        var copy = Decode(resource, Encode(obj), 0);
        copy.Metadata.ResourceVersion = obj.Metadata.ResourceVersion;
        return copy;
    }

    /// <summary>
    /// Writes stored bytes with <c>"resourceVersion":"revision"</c> in <c>metadata</c> where Go's
    /// ObjectMeta declares it: after name, generateName, namespace, selfLink and uid (strings, all
    /// of them), before the rest. The encoder writes kind, apiVersion and metadata first, so the
    /// first <c>"metadata":{</c> is the object's own.
    /// </summary>
    public static void WriteWithResourceVersion(IBufferWriter<byte> output, ReadOnlySpan<byte> stored, long revision)
    {
        var at = stored.IndexOf(MetadataOpen);
        if (at < 0)
        {
            throw StatusErrors.Internal("a stored object has no metadata");
        }

        var open = at + MetadataOpen.Length - 1;
        var (split, after) = ResourceVersionPlace(stored[open..]);
        split += open;
        Write(output, stored[..split]);
        Write(output, after ? ",\"resourceVersion\":\""u8 : "\"resourceVersion\":\""u8);
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(revision, span, out var written);
        output.Advance(written);
        Write(output, after || stored[split] == (byte)'}' ? "\""u8 : "\","u8);
        Write(output, stored[split..]);
    }

    /// <summary>
    /// Where in <paramref name="metadata"/> (from its <c>{</c>) resourceVersion goes, and whether
    /// it follows a field there (so it takes a leading comma rather than a trailing one).
    /// </summary>
    private static (int Offset, bool AfterField) ResourceVersionPlace(ReadOnlySpan<byte> metadata)
    {
        var reader = new Utf8JsonReader(metadata, isFinalBlock: false, state: default);
        reader.Read();
        var fields = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!(reader.ValueTextEquals("name"u8) || reader.ValueTextEquals("generateName"u8) || reader.ValueTextEquals("namespace"u8)
                || reader.ValueTextEquals("selfLink"u8) || reader.ValueTextEquals("uid"u8)))
            {
                return ((int)reader.TokenStartIndex, false);
            }

            reader.Read();
            fields++;
        }

        // The end of metadata: after the last of those fields, or in an empty object.
        return ((int)reader.TokenStartIndex, fields > 0);
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
