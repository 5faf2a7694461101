using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// Writes a protobuf message as the JSON a Go client would have sent for the same object: fields
/// by their JSON names in declaration order, repeated fields as arrays, maps as objects, Kubernetes'
/// special types in their JSON form, and scalars at their zero value left out unless the Go field
/// is a pointer (<see cref="ProtoField.KeepsZero"/>). Every length, wire type and nesting level is
/// checked, and the JSON written is bounded, so a hostile body costs at most its limit.
/// </summary>
public static class ProtoToJson
{
    /// <summary>Messages nested deeper than this are refused.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Writes <paramref name="proto"/> as a JSON object of <paramref name="message"/>; returns how
    /// many fields had numbers the message does not declare (skipped, as protobuf skips unknown fields).
    /// </summary>
    /// <param name="proto">The message's bytes.</param>
    /// <param name="message">Its type.</param>
    /// <param name="writer">Where the JSON goes.</param>
    /// <param name="maxJsonBytes">More JSON than this is refused (a protobuf body of empty fields grows several times as JSON).</param>
    /// <param name="writeProperties">Called after the opening brace, to write the inline <c>kind</c> and <c>apiVersion</c>.</param>
    /// <exception cref="ProtoDecodeException">The bytes are not a valid <paramref name="message"/>, or too large as JSON.</exception>
    public static int Write(ReadOnlySpan<byte> proto, ProtoMessage message, Utf8JsonWriter writer, long maxJsonBytes, Action<Utf8JsonWriter>? writeProperties = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        var state = new State { Writer = writer, MaxBytes = maxJsonBytes };
        writer.WriteStartObject();
        writeProperties?.Invoke(writer);
        WriteFields(proto, 0, message, ref state, 0);
        writer.WriteEndObject();
        return state.Unknown;
    }

    private static void WriteMessage(ReadOnlySpan<byte> proto, int offset, ProtoMessage message, ref State state, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ProtoDecodeException($"messages nested deeper than {MaxDepth} at {message.FullName}");
        }

        state.Writer.WriteStartObject();
        WriteFields(proto, offset, message, ref state, depth);
        state.Writer.WriteEndObject();
        state.CheckSize();
    }

    /// <summary>
    /// The fields of one message: read once into a list of (field, value), sorted by declaration
    /// (stable, so repeated values keep their order; Kubernetes writes fields in order, so this is a
    /// pass), then written grouped: protobuf may interleave a repeated field with others, JSON may not.
    /// </summary>
    private static void WriteFields(ReadOnlySpan<byte> proto, int offset, ProtoMessage message, ref State state, int depth)
    {
        var entries = ArrayPool<Entry>.Shared.Rent(16);
        try
        {
            var count = 0;
            var reader = new ProtoReader(proto, offset);
            while (!reader.End)
            {
                var (number, wire) = reader.ReadTag();
                var field = message.ByNumber(number);
                if (field is null)
                {
                    reader.Skip(wire);
                    state.Unknown++;
                    continue;
                }

                var entry = new Entry { Field = field.Index, Wire = wire };
                switch (wire)
                {
                    case WireType.Varint:
                        entry.Value = reader.ReadVarint();
                        break;
                    case WireType.Fixed32:
                        entry.Value = reader.ReadFixed32();
                        break;
                    case WireType.Fixed64:
                        entry.Value = reader.ReadFixed64();
                        break;
                    default:
                        var bytes = reader.ReadLengthDelimited(out var at);
                        entry.Start = at - offset;
                        entry.Length = bytes.Length;
                        break;
                }

                CheckWireType(field, wire);
                if (count == entries.Length)
                {
                    var bigger = ArrayPool<Entry>.Shared.Rent(count * 2);
                    entries.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<Entry>.Shared.Return(entries);
                    entries = bigger;
                }

                var i = count++;
                while (i > 0 && entries[i - 1].Field > entry.Field)
                {
                    entries[i] = entries[i - 1];
                    i--;
                }

                entries[i] = entry;
            }

            for (var first = 0; first < count;)
            {
                var field = message.Fields[entries[first].Field];
                var last = first;
                while (last + 1 < count && entries[last + 1].Field == entries[first].Field)
                {
                    last++;
                }

                WriteField(proto, offset, field, entries.AsSpan(first, last - first + 1), ref state, depth);
                first = last + 1;
            }
        }
        finally
        {
            ArrayPool<Entry>.Shared.Return(entries);
        }
    }

    private static void CheckWireType(ProtoField field, WireType wire)
    {
        var expected = field.IsMap ? WireType.LengthDelimited : field.WireType;
        if (wire != expected && !(field.Repeated && wire == WireType.LengthDelimited && expected != WireType.LengthDelimited))
        {
            throw new ProtoDecodeException($"wrong wire type {ProtoWire.Describe(wire)} for {field.Describe()}, expected {ProtoWire.Describe(expected)}");
        }
    }

    private static void WriteField(ReadOnlySpan<byte> proto, int offset, ProtoField field, ReadOnlySpan<Entry> entries, ref State state, int depth)
    {
        var writer = state.Writer;
        if (field.IsMap)
        {
            writer.WritePropertyName(field.JsonName);
            writer.WriteStartObject();
            foreach (var entry in entries)
            {
                WriteMapEntry(proto.Slice(entry.Start, entry.Length), offset + entry.Start, field, ref state, depth);
            }

            writer.WriteEndObject();
            state.CheckSize();
            return;
        }

        if (field.Repeated)
        {
            writer.WritePropertyName(field.JsonName);
            writer.WriteStartArray();
            foreach (var entry in entries)
            {
                if (entry.Wire == WireType.LengthDelimited && field.WireType != WireType.LengthDelimited)
                {
                    WritePacked(proto.Slice(entry.Start, entry.Length), offset + entry.Start, field, ref state);
                }
                else
                {
                    WriteValue(proto, offset, field, entry, ref state, depth, named: false, omitZero: false);
                }
            }

            writer.WriteEndArray();
            state.CheckSize();
            return;
        }

        if (field.WireType == WireType.LengthDelimited && field.Kind is ProtoFieldKind.Message && entries.Length > 1)
        {
            // A message field given more than once is the merge of all (protobuf's rule): its bytes concatenated.
            WriteMerged(proto, offset, field, entries, ref state, depth);
            return;
        }

        WriteValue(proto, offset, field, entries[^1], ref state, depth, named: true, omitZero: !field.KeepsZero);
    }

    private static void WriteMerged(ReadOnlySpan<byte> proto, int offset, ProtoField field, ReadOnlySpan<Entry> entries, ref State state, int depth)
    {
        var total = 0;
        foreach (var entry in entries)
        {
            total += entry.Length;
        }

        var merged = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var at = 0;
            foreach (var entry in entries)
            {
                proto.Slice(entry.Start, entry.Length).CopyTo(merged.AsSpan(at));
                at += entry.Length;
            }

            var whole = new Entry { Field = field.Index, Wire = WireType.LengthDelimited, Start = 0, Length = total };
            WriteValue(merged.AsSpan(0, total), offset + entries[0].Start, field, whole, ref state, depth, named: true, omitZero: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(merged);
        }
    }

    private static void WriteMapEntry(ReadOnlySpan<byte> entry, int offset, ProtoField field, ref State state, int depth)
    {
        var key = field.MapKey!;
        var value = field.MapValue!;
        var reader = new ProtoReader(entry, offset);
        Entry? keyEntry = null, valueEntry = null;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            var target = number == 1 ? key : number == 2 ? value : null;
            if (target is null)
            {
                reader.Skip(wire);
                continue;
            }

            CheckWireType(target, wire);
            var read = new Entry { Field = number, Wire = wire };
            if (wire == WireType.LengthDelimited)
            {
                var bytes = reader.ReadLengthDelimited(out var at);
                read.Start = at - offset;
                read.Length = bytes.Length;
            }
            else
            {
                read.Value = wire == WireType.Varint ? reader.ReadVarint() : wire == WireType.Fixed32 ? reader.ReadFixed32() : reader.ReadFixed64();
            }

            if (number == 1)
            {
                keyEntry = read;
            }
            else
            {
                valueEntry = read;
            }
        }

        var writer = state.Writer;
        if (key.Kind == ProtoFieldKind.String)
        {
            var text = keyEntry is { } k ? entry.Slice(k.Start, k.Length) : [];
            CheckUtf8(text, key);
            writer.WritePropertyName(text);
        }
        else
        {
            var number = keyEntry?.Value ?? 0;
            writer.WritePropertyName(key.Kind is ProtoFieldKind.SInt32 or ProtoFieldKind.SInt64
                ? ProtoWire.UnZigZag(number).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : ((long)number).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (valueEntry is { } v)
        {
            WriteValue(entry, offset, value, v, ref state, depth, named: false, omitZero: false);
        }
        else if (!WriteDefault(value, writer))
        {
            WriteMessage([], offset, value.Message, ref state, depth + 1);
        }
    }

    /// <summary>The value of a map entry that has none: the type's zero. False for a message (written as an empty one).</summary>
    private static bool WriteDefault(ProtoField field, Utf8JsonWriter writer)
    {
        switch (field.Kind)
        {
            case ProtoFieldKind.String or ProtoFieldKind.Bytes or ProtoFieldKind.Quantity:
                writer.WriteStringValue(""u8);
                return true;
            case ProtoFieldKind.Bool:
                writer.WriteBooleanValue(false);
                return true;
            case ProtoFieldKind.Message or ProtoFieldKind.Time or ProtoFieldKind.MicroTime or ProtoFieldKind.Duration or ProtoFieldKind.IntOrString or ProtoFieldKind.RawJson:
                if (field.Kind != ProtoFieldKind.Message)
                {
                    writer.WriteNullValue();
                    return true;
                }

                return false;
            default:
                writer.WriteNumberValue(0);
                return true;
        }
    }

    private static void WritePacked(ReadOnlySpan<byte> packed, int offset, ProtoField field, ref State state)
    {
        var reader = new ProtoReader(packed, offset);
        while (!reader.End)
        {
            var entry = new Entry
            {
                Wire = field.WireType,
                Value = field.WireType switch
                {
                    WireType.Varint => reader.ReadVarint(),
                    WireType.Fixed32 => reader.ReadFixed32(),
                    _ => reader.ReadFixed64(),
                },
            };
            WriteScalar(field, entry.Value, state.Writer, omitZero: false, propertyName: false);
        }
    }

    /// <summary>One value; <paramref name="named"/> for a field of its own (not an element of a list or a map's value).</summary>
    private static void WriteValue(ReadOnlySpan<byte> proto, int offset, ProtoField field, Entry entry, ref State state, int depth, bool named, bool omitZero)
    {
        var writer = state.Writer;
        if (field.WireType != WireType.LengthDelimited)
        {
            WriteScalar(field, entry.Value, writer, omitZero, named);
            return;
        }

        var bytes = proto.Slice(entry.Start, entry.Length);
        var at = offset + entry.Start;
        switch (field.Kind)
        {
            case ProtoFieldKind.String:
                if (omitZero && bytes.IsEmpty)
                {
                    return;
                }

                CheckUtf8(bytes, field);
                Name(writer, field, named);
                writer.WriteStringValue(bytes);
                break;
            case ProtoFieldKind.Bytes:
                if (omitZero && bytes.IsEmpty)
                {
                    return;
                }

                Name(writer, field, named);
                writer.WriteBase64StringValue(bytes);
                break;
            case ProtoFieldKind.Message when field.Inline:
                if (depth + 1 > MaxDepth)
                {
                    throw new ProtoDecodeException($"messages nested deeper than {MaxDepth} at {field.Message.FullName}");
                }

                WriteFields(bytes, at, field.Message, ref state, depth + 1);
                return;
            case ProtoFieldKind.Message:
                Name(writer, field, named);
                WriteMessage(bytes, at, field.Message, ref state, depth + 1);
                return;
            case ProtoFieldKind.Time:
            case ProtoFieldKind.MicroTime:
                WriteTime(bytes, at, field, writer, named);
                break;
            case ProtoFieldKind.Duration:
                var nanos = Inner(bytes, at, field).Varint1;
                Name(writer, field, named);
                writer.WriteStringValue(ProtoTimes.FormatDuration((long)nanos));
                break;
            case ProtoFieldKind.IntOrString:
                WriteIntOrString(bytes, at, field, writer, named, omitZero);
                break;
            case ProtoFieldKind.Quantity:
                var quantity = Inner(bytes, at, field);
                var text = quantity.Bytes1;
                if (omitZero && text.IsEmpty)
                {
                    return;
                }

                CheckUtf8(text, field);
                Name(writer, field, named);
                writer.WriteStringValue(text);
                break;
            case ProtoFieldKind.RawJson:
                var raw = Inner(bytes, at, field).Bytes1;
                if (raw.IsEmpty)
                {
                    if (!named)
                    {
                        writer.WriteNullValue();
                    }

                    return;
                }

                Name(writer, field, named);
                try
                {
                    writer.WriteRawValue(raw);
                }
                catch (Exception e) when (e is ArgumentException or JsonException)
                {
                    throw new ProtoDecodeException($"{field.Describe()} holds no JSON (only JSON content is accepted in it)");
                }

                break;
        }

        state.CheckSize();
    }

    private static void WriteScalar(ProtoField field, ulong value, Utf8JsonWriter writer, bool omitZero, bool propertyName)
    {
        if (omitZero && value == 0)
        {
            return;
        }

        Name(writer, field, propertyName);
        switch (field.Kind)
        {
            case ProtoFieldKind.Bool:
                writer.WriteBooleanValue(value != 0);
                return;
            case ProtoFieldKind.Int32 or ProtoFieldKind.Enum or ProtoFieldKind.SFixed32:
                writer.WriteNumberValue((int)value);
                return;
            case ProtoFieldKind.Int64 or ProtoFieldKind.SFixed64:
                writer.WriteNumberValue((long)value);
                return;
            case ProtoFieldKind.UInt32 or ProtoFieldKind.Fixed32:
                writer.WriteNumberValue((uint)value);
                return;
            case ProtoFieldKind.UInt64 or ProtoFieldKind.Fixed64:
                writer.WriteNumberValue(value);
                return;
            case ProtoFieldKind.SInt32:
                writer.WriteNumberValue((int)ProtoWire.UnZigZag(value));
                return;
            case ProtoFieldKind.SInt64:
                writer.WriteNumberValue(ProtoWire.UnZigZag(value));
                return;
            case ProtoFieldKind.Float:
                var single = BitConverter.UInt32BitsToSingle((uint)value);
                writer.WriteNumberValue(float.IsFinite(single) ? single : throw new ProtoDecodeException($"{field.Describe()} is not a finite number"));
                return;
            default:
                var number = BitConverter.UInt64BitsToDouble(value);
                writer.WriteNumberValue(double.IsFinite(number) ? number : throw new ProtoDecodeException($"{field.Describe()} is not a finite number"));
                return;
        }
    }

    private static void WriteTime(ReadOnlySpan<byte> bytes, int at, ProtoField field, Utf8JsonWriter writer, bool named)
    {
        if (bytes.IsEmpty)
        {
            // Go's zero time: the field is absent (null) in JSON.
            if (!named)
            {
                writer.WriteNullValue();
            }

            return;
        }

        var time = Inner(bytes, at, field);
        var seconds = (long)time.Varint1;
        var nanos = field.Kind == ProtoFieldKind.MicroTime ? (long)time.Varint2 : 0;
        if (seconds == ProtoTimes.ZeroTimeSeconds && nanos == 0)
        {
            if (!named)
            {
                writer.WriteNullValue();
            }

            return;
        }

        Span<byte> text = stackalloc byte[32];
        if (nanos is < 0 or > 999_999_999 || !ProtoTimes.TryFormatTime(seconds, (int)nanos, field.Kind == ProtoFieldKind.MicroTime, text, out var written))
        {
            throw new ProtoDecodeException($"{field.Describe()} is not a time between the years 1 and 9999");
        }

        Name(writer, field, named);
        writer.WriteStringValue(text[..written]);
    }

    private static void WriteIntOrString(ReadOnlySpan<byte> bytes, int at, ProtoField field, Utf8JsonWriter writer, bool named, bool omitZero)
    {
        var value = Inner(bytes, at, field);
        if (value.Varint1 == 1)
        {
            // Kubernetes' zero IntOrString (0 or "") means unset: defaulting fills it (a service's targetPort).
            if (omitZero && value.Bytes3.IsEmpty)
            {
                return;
            }

            CheckUtf8(value.Bytes3, field);
            Name(writer, field, named);
            writer.WriteStringValue(value.Bytes3);
            return;
        }

        if (omitZero && value.Varint2 == 0)
        {
            return;
        }

        Name(writer, field, named);
        writer.WriteNumberValue((int)value.Varint2);
    }

    /// <summary>The fields of a small special message (Time, IntOrString, Quantity, …), each number's last value.</summary>
    private static Special Inner(ReadOnlySpan<byte> bytes, int offset, ProtoField field)
    {
        var special = default(Special);
        var reader = new ProtoReader(bytes, offset);
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            if (wire == WireType.Varint && number <= 2)
            {
                var value = reader.ReadVarint();
                if (number == 1)
                {
                    special.Varint1 = value;
                }
                else
                {
                    special.Varint2 = value;
                }
            }
            else if (wire == WireType.LengthDelimited && number is 1 or 3)
            {
                var value = reader.ReadLengthDelimited(out _);
                if (number == 1)
                {
                    special.Bytes1 = value;
                }
                else
                {
                    special.Bytes3 = value;
                }
            }
            else if (number <= 3)
            {
                throw new ProtoDecodeException($"wrong wire type {ProtoWire.Describe(wire)} for field {number} of {field.Describe()}");
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return special;
    }

    private static void Name(Utf8JsonWriter writer, ProtoField field, bool named)
    {
        if (named)
        {
            writer.WritePropertyName(field.JsonName);
        }
    }

    private static void CheckUtf8(ReadOnlySpan<byte> text, ProtoField field)
    {
        if (!Utf8.IsValid(text))
        {
            throw new ProtoDecodeException($"{field.Describe()} is not valid UTF-8");
        }
    }

    private struct Entry
    {
        public int Field;
        public WireType Wire;
        public int Start;
        public int Length;
        public ulong Value;
    }

    private ref struct Special
    {
        public ulong Varint1;
        public ulong Varint2;
        public ReadOnlySpan<byte> Bytes1;
        public ReadOnlySpan<byte> Bytes3;
    }

    private ref struct State
    {
        public Utf8JsonWriter Writer;
        public long MaxBytes;
        public int Unknown;

        public readonly void CheckSize()
        {
            if (Writer.BytesCommitted + Writer.BytesPending > MaxBytes)
            {
                throw new ProtoDecodeException($"the body is larger than {MaxBytes} bytes as JSON");
            }
        }
    }
}
