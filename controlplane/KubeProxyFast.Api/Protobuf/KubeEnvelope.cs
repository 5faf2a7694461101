using System.Buffers.Binary;
using System.Text;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// Kubernetes' protobuf envelope: the magic <c>k8s\0</c>, then a <c>runtime.Unknown</c>
/// <c>{typeMeta {apiVersion = 1, kind = 2} = 1, raw = 2, contentEncoding = 3, contentType = 4}</c>
/// whose raw bytes are the object's message (which carries no kind of its own). Written as
/// apimachinery's serializer writes it, the empty contentEncoding and contentType included.
/// </summary>
public static class KubeEnvelope
{
    /// <summary>Bytes kept free in front of an object's encoding for its envelope and a watch frame's header.</summary>
    public const int Gap = 320;

    /// <summary>The content type of protobuf bodies.</summary>
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>The content type of a protobuf watch stream.</summary>
    public const string WatchMediaType = "application/vnd.kubernetes.protobuf;stream=watch";

    /// <summary>The four bytes every enveloped body starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    // contentEncoding = "" (field 3), contentType = "" (field 4).
    private static ReadOnlySpan<byte> Trailer => [0x1A, 0x00, 0x22, 0x00];

    /// <summary>
    /// Wraps what <paramref name="output"/> holds (an object's message, written after a gap of
    /// <see cref="Gap"/>) in the envelope: the header goes into the gap, the trailer after.
    /// </summary>
    public static void Wrap(ProtoOutput output, string apiVersion, string kind)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> header = stackalloc byte[Gap];
        var length = WriteHeader(header, apiVersion, kind, output.Length);
        output.WriteRaw(Trailer);
        if (!output.Prepend(header[..length]))
        {
            throw new InvalidOperationException("the envelope's gap is too small");
        }
    }

    /// <summary>
    /// Makes what <paramref name="output"/> holds (an enveloped object) one frame of a protobuf watch:
    /// a four-byte big-endian length, then a meta/v1 <c>WatchEvent {type = 1, object = 2 (RawExtension {raw = 1})}</c>
    /// written bare (the stream serializer is the raw one), whose raw is the enveloped object.
    /// </summary>
    public static void WrapWatchEvent(ProtoOutput output, string type)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(type);
        var enveloped = output.Length;
        var raw = 1 + ProtoWire.VarintSize((ulong)enveloped) + enveloped;
        var typeLength = Encoding.ASCII.GetByteCount(type);
        var eventLength = 1 + ProtoWire.VarintSize((ulong)typeLength) + typeLength + 1 + ProtoWire.VarintSize((ulong)raw) + raw;
        Span<byte> header = stackalloc byte[64];
        BinaryPrimitives.WriteInt32BigEndian(header, eventLength);
        var at = 4;
        header[at++] = 0x0A;
        at += ProtoWire.WriteVarint(header[at..], (ulong)typeLength);
        at += Encoding.ASCII.GetBytes(type, header[at..]);
        header[at++] = 0x12;
        at += ProtoWire.WriteVarint(header[at..], (ulong)raw);
        header[at++] = 0x0A;
        at += ProtoWire.WriteVarint(header[at..], (ulong)enveloped);
        if (!output.Prepend(header[..at]))
        {
            throw new InvalidOperationException("the watch frame's gap is too small");
        }
    }

    /// <summary>Writes the magic, the typeMeta and the raw field's tag and length; returns the bytes written.</summary>
    public static int WriteHeader(Span<byte> header, string apiVersion, string kind, int rawLength)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        ArgumentNullException.ThrowIfNull(kind);
        var apiVersionLength = Encoding.UTF8.GetByteCount(apiVersion);
        var kindLength = Encoding.UTF8.GetByteCount(kind);
        var typeMeta = 1 + ProtoWire.VarintSize((ulong)apiVersionLength) + apiVersionLength + 1 + ProtoWire.VarintSize((ulong)kindLength) + kindLength;
        Magic.CopyTo(header);
        var at = 4;
        header[at++] = 0x0A;
        at += ProtoWire.WriteVarint(header[at..], (ulong)typeMeta);
        header[at++] = 0x0A;
        at += ProtoWire.WriteVarint(header[at..], (ulong)apiVersionLength);
        at += Encoding.UTF8.GetBytes(apiVersion, header[at..]);
        header[at++] = 0x12;
        at += ProtoWire.WriteVarint(header[at..], (ulong)kindLength);
        at += Encoding.UTF8.GetBytes(kind, header[at..]);
        header[at++] = 0x12;
        at += ProtoWire.WriteVarint(header[at..], (ulong)rawLength);
        return at;
    }

    /// <summary>Reads an enveloped body: its apiVersion, kind, and the object's message.</summary>
    /// <exception cref="ProtoDecodeException">No magic, or a malformed envelope.</exception>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> body, out string apiVersion, out string kind)
    {
        apiVersion = "";
        kind = "";
        if (body.Length < Magic.Length || !body.StartsWith(Magic))
        {
            throw new ProtoDecodeException("the body does not start with the protobuf envelope's magic bytes \"k8s\\x00\"");
        }

        ReadOnlySpan<byte> raw = [];
        var reader = new ProtoReader(body[Magic.Length..], Magic.Length);
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number is >= 1 and <= 4 && wire != WireType.LengthDelimited)
            {
                throw new ProtoDecodeException($"wrong wire type {ProtoWire.Describe(wire)} for field {number} of runtime.Unknown, expected {ProtoWire.Describe(WireType.LengthDelimited)}");
            }

            switch (number)
            {
                case 1:
                    ReadTypeMeta(reader.ReadLengthDelimited(out var at), at, ref apiVersion, ref kind);
                    break;
                case 2:
                    raw = reader.ReadLengthDelimited(out _);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return raw;
    }

    private static void ReadTypeMeta(ReadOnlySpan<byte> bytes, int offset, ref string apiVersion, ref string kind)
    {
        var reader = new ProtoReader(bytes, offset);
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (number is 1 or 2)
            {
                if (wire != WireType.LengthDelimited)
                {
                    throw new ProtoDecodeException($"wrong wire type {ProtoWire.Describe(wire)} for field {number} of runtime.TypeMeta, expected {ProtoWire.Describe(WireType.LengthDelimited)}");
                }

                var text = reader.ReadLengthDelimited(out _);
                if (!System.Text.Unicode.Utf8.IsValid(text) || text.Length > 253)
                {
                    throw new ProtoDecodeException($"field {number} of runtime.TypeMeta is not a valid name");
                }

                if (number == 1)
                {
                    apiVersion = Encoding.UTF8.GetString(text);
                }
                else
                {
                    kind = Encoding.UTF8.GetString(text);
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }
}
