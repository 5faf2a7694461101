using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// Writes an object's JSON (as the store holds it) as protobuf, driven by the message's
/// descriptor: one forward read of the JSON, no object model in between. Properties the message
/// has no field for are left out and counted; the inline <c>kind</c> and <c>apiVersion</c> go in
/// the envelope instead.
/// </summary>
public static class JsonToProto
{
    /// <summary>JSON nested deeper than this is refused, as the JSON decoder refuses it.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth * 2 };

    /// <summary>
    /// Writes the JSON object <paramref name="json"/> as a <paramref name="message"/> into
    /// <paramref name="output"/>. With <paramref name="resourceVersion"/> above zero, the top-level
    /// <c>metadata</c> (an ObjectMeta) gets it as its resourceVersion, as the store's revision is
    /// spliced into JSON. Returns how many JSON properties had no field and were left out.
    /// </summary>
    /// <exception cref="ProtoDecodeException">The JSON is malformed or does not fit the message.</exception>
    public static int Write(ReadOnlySpan<byte> json, ProtoMessage message, ProtoOutput output, long resourceVersion = 0)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var state = new State { Json = json, Output = output, ResourceVersion = resourceVersion };
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ProtoDecodeException($"a {message.FullName} must be a JSON object");
            }

            WriteMessage(ref reader, message, ref state, 0);
        }
        catch (JsonException e)
        {
            throw new ProtoDecodeException("malformed JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // The reader's unescaping of a string that is not UTF-8.
            throw new ProtoDecodeException("malformed JSON: " + e.Message, e);
        }

        return state.Dropped;
    }

    private static void WriteMessage(ref Utf8JsonReader reader, ProtoMessage message, ref State state, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ProtoDecodeException($"objects nested deeper than {MaxDepth} at {message.FullName}");
        }

        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueIsEscaped ? ByEscapedName(ref reader, message) : message.ByName(reader.ValueSpan, ref next);
            if (field is null)
            {
                var typeMeta = depth == 0 && !message.HasTypeMeta && (reader.ValueTextEquals("kind"u8) || reader.ValueTextEquals("apiVersion"u8));
                reader.Read();
                reader.Skip();
                if (!typeMeta)
                {
                    state.Dropped++;
                }

                continue;
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            if (field.Via is { } inline)
            {
                // One nested message per inlined property: protobuf merges repeated occurrences of a message field.
                state.Output.BeginLengthDelimited(inline.Number);
                WriteField(ref reader, field, ref state, depth + 1);
                state.Output.EndLengthDelimited();
            }
            else
            {
                WriteField(ref reader, field, ref state, depth);
            }
        }
    }

    private static void WriteField(ref Utf8JsonReader reader, ProtoField field, ref State state, int depth)
    {
        if (field.IsMap)
        {
            WriteMap(ref reader, field, ref state, depth);
        }
        else if (field.Repeated)
        {
            Expect(ref reader, JsonTokenType.StartArray, field);
            if (field.Packed)
            {
                state.Output.BeginLengthDelimited(field.Number);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    WriteScalar(ref reader, field, state.Output);
                }

                state.Output.EndLengthDelimited();
            }
            else
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        WriteValue(ref reader, field, field.Number, ref state, depth);
                    }
                }
            }
        }
        else
        {
            WriteValue(ref reader, field, field.Number, ref state, depth);
        }
    }

    private static ProtoField? ByEscapedName(ref Utf8JsonReader reader, ProtoMessage message) => reader.ValueSpan.Length > 256 ? null : message.ByName(reader.GetString()!);

    private static void WriteMap(ref Utf8JsonReader reader, ProtoField field, ref State state, int depth)
    {
        Expect(ref reader, JsonTokenType.StartObject, field);
        var output = state.Output;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            output.BeginLengthDelimited(field.Number);
            var key = field.MapKey!;
            if (key.Kind == ProtoFieldKind.String)
            {
                WriteString(ref reader, 1, output);
            }
            else
            {
                // Kubernetes' maps are keyed by strings; a numeric key is its number's text in JSON.
                var text = reader.GetString()!;
                if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
                {
                    throw new ProtoDecodeException($"map key \"{text}\" of {field.Describe()} is not a number");
                }

                output.WriteVarintField(1, key.Kind is ProtoFieldKind.SInt32 or ProtoFieldKind.SInt64 ? ProtoWire.ZigZag(number) : (ulong)number);
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.Null)
            {
                WriteValue(ref reader, field.MapValue!, 2, ref state, depth);
            }

            output.EndLengthDelimited();
        }
    }

    /// <summary>One value of <paramref name="field"/>, tagged with <paramref name="number"/> (a map entry's value is field 2).</summary>
    private static void WriteValue(ref Utf8JsonReader reader, ProtoField field, int number, ref State state, int depth)
    {
        var output = state.Output;
        switch (field.Kind)
        {
            case ProtoFieldKind.String:
                Expect(ref reader, JsonTokenType.String, field);
                WriteString(ref reader, number, output);
                return;
            case ProtoFieldKind.Bytes:
                WriteBase64(ref reader, field, number, output);
                return;
            case ProtoFieldKind.Message:
                Expect(ref reader, JsonTokenType.StartObject, field);
                output.BeginLengthDelimited(number);
                var nested = field.Message;
                if (depth == 0 && state.ResourceVersion > 0 && field.Name == "metadata" && nested.ByName("resourceVersion") is { } version)
                {
                    Span<byte> digits = stackalloc byte[20];
                    Utf8Formatter.TryFormat(state.ResourceVersion, digits, out var written);
                    output.WriteBytesField(version.Number, digits[..written]);
                }

                WriteMessage(ref reader, nested, ref state, depth + 1);
                output.EndLengthDelimited();
                return;
            case ProtoFieldKind.Time:
            case ProtoFieldKind.MicroTime:
                WriteTime(ref reader, field, number, output);
                return;
            case ProtoFieldKind.IntOrString:
                output.BeginLengthDelimited(number);
                if (reader.TokenType == JsonTokenType.Number)
                {
                    output.WriteVarintField(1, 0);
                    output.WriteVarintField(2, (ulong)(long)Int32(ref reader, field));
                }
                else
                {
                    Expect(ref reader, JsonTokenType.String, field);
                    output.WriteVarintField(1, 1);
                    WriteString(ref reader, 3, output);
                }

                output.EndLengthDelimited();
                return;
            case ProtoFieldKind.Quantity:
                output.BeginLengthDelimited(number);
                if (reader.TokenType == JsonTokenType.Number)
                {
                    // A quantity written as a bare number (cpu: 1) keeps its text.
                    output.WriteBytesField(1, reader.ValueSpan);
                }
                else
                {
                    Expect(ref reader, JsonTokenType.String, field);
                    WriteString(ref reader, 1, output);
                }

                output.EndLengthDelimited();
                return;
            case ProtoFieldKind.RawJson:
                output.BeginLengthDelimited(number);
                output.BeginLengthDelimited(1);
                WriteRawJson(ref reader, state.Json, output);
                output.EndLengthDelimited();
                output.EndLengthDelimited();
                return;
            default:
                output.WriteTag(number, field.WireType);
                WriteScalar(ref reader, field, output);
                return;
        }
    }

    /// <summary>A numeric or boolean value, without its tag (also the elements of a packed list).</summary>
    private static void WriteScalar(ref Utf8JsonReader reader, ProtoField field, ProtoOutput output)
    {
        switch (field.Kind)
        {
            case ProtoFieldKind.Bool:
                output.WriteVarint(reader.TokenType switch
                {
                    JsonTokenType.True => 1UL,
                    JsonTokenType.False => 0UL,
                    _ => throw Mismatch(ref reader, field, "a boolean"),
                });
                return;
            case ProtoFieldKind.Int32 or ProtoFieldKind.Enum:
                output.WriteVarint((ulong)(long)Int32(ref reader, field));
                return;
            case ProtoFieldKind.Int64:
                output.WriteVarint((ulong)Int64(ref reader, field));
                return;
            case ProtoFieldKind.UInt32:
                output.WriteVarint(Number(ref reader, field).TryGetUInt32(out var u32) ? u32 : throw Mismatch(ref reader, field, "a uint32"));
                return;
            case ProtoFieldKind.UInt64:
                output.WriteVarint(Number(ref reader, field).TryGetUInt64(out var u64) ? u64 : throw Mismatch(ref reader, field, "a uint64"));
                return;
            case ProtoFieldKind.SInt32:
                output.WriteVarint(ProtoWire.ZigZag(Int32(ref reader, field)));
                return;
            case ProtoFieldKind.SInt64:
                output.WriteVarint(ProtoWire.ZigZag(Int64(ref reader, field)));
                return;
            case ProtoFieldKind.Fixed32:
                output.WriteFixed32(Number(ref reader, field).TryGetUInt32(out var f32) ? f32 : throw Mismatch(ref reader, field, "a uint32"));
                return;
            case ProtoFieldKind.SFixed32:
                output.WriteFixed32((uint)Int32(ref reader, field));
                return;
            case ProtoFieldKind.Fixed64:
                output.WriteFixed64(Number(ref reader, field).TryGetUInt64(out var f64) ? f64 : throw Mismatch(ref reader, field, "a uint64"));
                return;
            case ProtoFieldKind.SFixed64:
                output.WriteFixed64((ulong)Int64(ref reader, field));
                return;
            case ProtoFieldKind.Float:
                output.WriteFixed32(BitConverter.SingleToUInt32Bits((float)Number(ref reader, field).GetDouble()));
                return;
            case ProtoFieldKind.Double:
                output.WriteFixed64(BitConverter.DoubleToUInt64Bits(Number(ref reader, field).GetDouble()));
                return;
            default:
                throw new ProtoDecodeException($"{field.Describe()} cannot be packed");
        }
    }

    private static ref Utf8JsonReader Number(ref Utf8JsonReader reader, ProtoField field)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Mismatch(ref reader, field, "a number");
        }

        return ref reader;
    }

    private static int Int32(ref Utf8JsonReader reader, ProtoField field) =>
        Number(ref reader, field).TryGetInt32(out var value) ? value : throw Mismatch(ref reader, field, "an int32");

    private static long Int64(ref Utf8JsonReader reader, ProtoField field) =>
        Number(ref reader, field).TryGetInt64(out var value) ? value : throw Mismatch(ref reader, field, "an int64");

    /// <summary>A string field: its bytes as they are, or unescaped.</summary>
    private static void WriteString(ref Utf8JsonReader reader, int number, ProtoOutput output)
    {
        if (!reader.ValueIsEscaped)
        {
            output.WriteBytesField(number, reader.ValueSpan);
            return;
        }

        output.BeginLengthDelimited(number);
        var written = reader.CopyString(output.GetSpan(reader.ValueSpan.Length));
        output.Advance(written);
        output.EndLengthDelimited();
    }

    private static void WriteBase64(ref Utf8JsonReader reader, ProtoField field, int number, ProtoOutput output)
    {
        Expect(ref reader, JsonTokenType.String, field);
        byte[]? rented = null;
        var text = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            rented = ArrayPool<byte>.Shared.Rent(text.Length);
            text = rented.AsSpan(0, reader.CopyString(rented));
        }

        try
        {
            output.BeginLengthDelimited(number);
            var status = Base64.DecodeFromUtf8(text, output.GetSpan(Base64.GetMaxDecodedFromUtf8Length(text.Length)), out _, out var written);
            if (status != OperationStatus.Done)
            {
                throw new ProtoDecodeException($"{field.Describe()} is not base64");
            }

            output.Advance(written);
            output.EndLengthDelimited();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void WriteTime(ref Utf8JsonReader reader, ProtoField field, int number, ProtoOutput output)
    {
        Expect(ref reader, JsonTokenType.String, field);
        if (reader.ValueIsEscaped || !ProtoTimes.TryParseTime(reader.ValueSpan, out var seconds, out var nanos))
        {
            throw new ProtoDecodeException($"{field.Describe()} is not an RFC 3339 time");
        }

        output.BeginLengthDelimited(number);
        output.WriteVarintField(1, (ulong)seconds);
        if (field.Kind == ProtoFieldKind.MicroTime && nanos != 0)
        {
            // Time keeps whole seconds on the wire, as Kubernetes' Time.ProtoTime does; MicroTime keeps the fraction.
            output.WriteVarintField(2, (ulong)(nanos / 1000 * 1000));
        }

        output.EndLengthDelimited();
    }

    /// <summary>The value's JSON text, as it is in the input (FieldsV1, RawExtension hold JSON).</summary>
    private static void WriteRawJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ProtoOutput output)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var end = (int)reader.BytesConsumed;
            output.WriteRaw(json[start..end]);
            return;
        }

        var from = (int)reader.TokenStartIndex;
        output.WriteRaw(json[from..(int)reader.BytesConsumed]);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, ProtoField field)
    {
        if (reader.TokenType != token)
        {
            throw Mismatch(ref reader, field, token switch
            {
                JsonTokenType.StartObject => "an object",
                JsonTokenType.StartArray => "an array",
                _ => "a string",
            });
        }
    }

    private static ProtoDecodeException Mismatch(ref Utf8JsonReader reader, ProtoField field, string expected) =>
        new($"{field.Describe()} must be {expected}, not JSON {reader.TokenType}");

    private ref struct State
    {
        public ReadOnlySpan<byte> Json;
        public ProtoOutput Output;
        public long ResourceVersion;
        public int Dropped;
    }
}
