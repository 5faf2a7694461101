using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// Writes a protobuf message as the JSON a Go client would have sent for the same object: fields
/// by their JSON names in declaration order, repeated fields as arrays, maps as objects, Kubernetes'
/// special types in their JSON form, and scalars at their zero value left out unless the Go field
/// is a pointer (<see cref="ProtoField.KeepsZero"/>). Every length, wire type and nesting level is
/// checked, the JSON written is bounded by its limit, and the work and memory are linear in the body
/// (fields are ordered by a counting sort over their positions, 4 bytes per field).
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
    /// The fields of one message, written grouped in declaration order: protobuf may interleave a
    /// repeated field with others, JSON may not. Two passes over the bytes: the first checks every
    /// tag and counts each field's values, the second files each value's position under its field
    /// (a counting sort: linear whatever the arrival order, stable so repeated values keep theirs).
    /// Only positions are kept (4 bytes per value of at least 2 bytes), so the memory is bounded by the body.
    /// </summary>
    private static void WriteFields(ReadOnlySpan<byte> proto, int offset, ProtoMessage message, ref State state, int depth)
    {
        var fieldCount = message.Fields.Count;
        var starts = ArrayPool<int>.Shared.Rent(fieldCount + 1);
        var positions = Array.Empty<int>();
        try
        {
            starts.AsSpan(0, fieldCount + 1).Clear();
            var total = 0;
            var reader = new ProtoReader(proto, offset);
            while (!reader.End)
            {
                var (number, wire) = reader.ReadTag();
                var field = message.ByNumber(number);
                reader.Skip(wire);
                if (field is null)
                {
                    state.Unknown++;
                    continue;
                }

                CheckWireType(field, wire);
                starts[field.Index + 1]++;
                total++;
            }

            for (var i = 1; i <= fieldCount; i++)
            {
                starts[i] += starts[i - 1];
            }

            positions = ArrayPool<int>.Shared.Rent(total);
            var next = ArrayPool<int>.Shared.Rent(fieldCount);
            try
            {
                starts.AsSpan(0, fieldCount).CopyTo(next);
                reader = new ProtoReader(proto, offset);
                while (!reader.End)
                {
                    var at = reader.Offset - offset;
                    var (number, wire) = reader.ReadTag();
                    reader.Skip(wire);
                    if (message.ByNumber(number) is { } field)
                    {
                        positions[next[field.Index]++] = at;
                    }
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(next);
            }

            for (var index = 0; index < fieldCount; index++)
            {
                if (starts[index + 1] > starts[index])
                {
                    WriteField(proto, offset, message.Fields[index], positions.AsSpan(starts[index], starts[index + 1] - starts[index]), ref state, depth);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
            if (positions.Length > 0)
            {
                ArrayPool<int>.Shared.Return(positions);
            }
        }
    }

    /// <summary>The value whose tag is at <paramref name="position"/> of <paramref name="proto"/> (already checked by the first pass).</summary>
    private static Entry ReadEntry(ReadOnlySpan<byte> proto, int offset, int position)
    {
        var reader = new ProtoReader(proto[position..], offset + position);
        var (_, wire) = reader.ReadTag();
        var entry = new Entry { Wire = wire };
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

        return entry;
    }

    private static void CheckWireType(ProtoField field, WireType wire)
    {
        var expected = field.IsMap ? WireType.LengthDelimited : field.WireType;
        if (wire != expected && !(field.Repeated && wire == WireType.LengthDelimited && expected != WireType.LengthDelimited))
        {
            throw new ProtoDecodeException($"wrong wire type {ProtoWire.Describe(wire)} for {field.Describe()}, expected {ProtoWire.Describe(expected)}");
        }
    }

    private static void WriteField(ReadOnlySpan<byte> proto, int offset, ProtoField field, ReadOnlySpan<int> positions, ref State state, int depth)
    {
        var writer = state.Writer;
        if (field.IsMap)
        {
            writer.WritePropertyName(field.JsonName);
            writer.WriteStartObject();
            WriteMap(proto, offset, field, positions, ref state, depth);
            writer.WriteEndObject();
            state.CheckSize();
            return;
        }

        if (field.Repeated)
        {
            writer.WritePropertyName(field.JsonName);
            writer.WriteStartArray();
            foreach (var position in positions)
            {
                var entry = ReadEntry(proto, offset, position);
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

        if (field.WireType == WireType.LengthDelimited && field.Kind is ProtoFieldKind.Message && positions.Length > 1)
        {
            // A message field given more than once is the merge of all (protobuf's rule): its bytes concatenated.
            WriteMerged(proto, offset, field, positions, ref state, depth);
            return;
        }

        WriteValue(proto, offset, field, ReadEntry(proto, offset, positions[^1]), ref state, depth, named: true, omitZero: !field.KeepsZero);
    }

    private static void WriteMerged(ReadOnlySpan<byte> proto, int offset, ProtoField field, ReadOnlySpan<int> positions, ref State state, int depth)
    {
        var total = 0;
        foreach (var position in positions)
        {
            total += ReadEntry(proto, offset, position).Length;
        }

        var merged = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var at = 0;
            foreach (var position in positions)
            {
                var entry = ReadEntry(proto, offset, position);
                proto.Slice(entry.Start, entry.Length).CopyTo(merged.AsSpan(at));
                at += entry.Length;
            }

            var whole = new Entry { Wire = WireType.LengthDelimited, Start = 0, Length = total };
            WriteValue(merged.AsSpan(0, total), offset + ReadEntry(proto, offset, positions[0]).Start, field, whole, ref state, depth, named: true, omitZero: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(merged);
        }
    }

    /// <summary>
    /// A map's entries; a key given more than once keeps its last value (protobuf's rule), so the
    /// JSON has each key once (a repeated property is refused by strict field validation).
    /// </summary>
    private static void WriteMap(ReadOnlySpan<byte> proto, int offset, ProtoField field, ReadOnlySpan<int> positions, ref State state, int depth)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var superseded = ArrayPool<bool>.Shared.Rent(positions.Length);
        try
        {
            for (var i = positions.Length - 1; i >= 0; i--)
            {
                var entry = ReadEntry(proto, offset, positions[i]);
                var (key, _) = ReadMapEntry(proto.Slice(entry.Start, entry.Length), offset + entry.Start, field);
                superseded[i] = !seen.Add(key);
            }

            for (var i = 0; i < positions.Length; i++)
            {
                if (!superseded[i])
                {
                    var entry = ReadEntry(proto, offset, positions[i]);
                    WriteMapEntry(proto.Slice(entry.Start, entry.Length), offset + entry.Start, field, ref state, depth);
                }
            }
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(superseded);
        }
    }

    /// <summary>A map entry's key as its JSON property name, and its value (null when absent).</summary>
    private static (string Key, Entry? Value) ReadMapEntry(ReadOnlySpan<byte> entry, int offset, ProtoField field)
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
            var read = new Entry { Wire = wire };
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

        if (key.Kind == ProtoFieldKind.String)
        {
            var text = keyEntry is { } k ? entry.Slice(k.Start, k.Length) : [];
            CheckUtf8(text, key);
            return (System.Text.Encoding.UTF8.GetString(text), valueEntry);
        }

        var number64 = keyEntry?.Value ?? 0;
        return (key.Kind is ProtoFieldKind.SInt32 or ProtoFieldKind.SInt64
            ? ProtoWire.UnZigZag(number64).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : ((long)number64).ToString(System.Globalization.CultureInfo.InvariantCulture), valueEntry);
    }

    private static void WriteMapEntry(ReadOnlySpan<byte> entry, int offset, ProtoField field, ref State state, int depth)
    {
        var value = field.MapValue!;
        var (key, valueEntry) = ReadMapEntry(entry, offset, field);
        var writer = state.Writer;
        writer.WritePropertyName(key);
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
            case ProtoFieldKind.Message or ProtoFieldKind.Time or ProtoFieldKind.MicroTime or ProtoFieldKind.IntOrString or ProtoFieldKind.RawJson:
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
            var expected = ExpectedWireType(field.Kind, number);
            if (expected is null)
            {
                reader.Skip(wire);
                continue;
            }

            if (wire != expected)
            {
                throw new ProtoDecodeException($"wrong wire type {ProtoWire.Describe(wire)} for field {number} of {field.Describe()}, expected {ProtoWire.Describe(expected.Value)}");
            }

            switch (number)
            {
                case 1 when wire == WireType.LengthDelimited:
                    special.Bytes1 = reader.ReadLengthDelimited(out _);
                    break;
                case 1:
                    special.Varint1 = reader.ReadVarint();
                    break;
                case 2:
                    special.Varint2 = reader.ReadVarint();
                    break;
                default:
                    special.Bytes3 = reader.ReadLengthDelimited(out _);
                    break;
            }
        }

        return special;
    }

    /// <summary>
    /// The wire type of field <paramref name="number"/> of a special message, null for a number it
    /// does not have: Quantity's string and RawExtension's raw bytes are field 1; Time's and
    /// MicroTime's seconds and nanos, and IntOrString's type and int value, are varints; its string value is field 3.
    /// </summary>
    private static WireType? ExpectedWireType(ProtoFieldKind kind, int number) => (number, kind) switch
    {
        (1, ProtoFieldKind.Quantity or ProtoFieldKind.RawJson) => WireType.LengthDelimited,
        (1, _) => WireType.Varint,
        (2, not (ProtoFieldKind.Quantity or ProtoFieldKind.RawJson)) => WireType.Varint,
        (3, ProtoFieldKind.IntOrString) => WireType.LengthDelimited,
        _ => null,
    };

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
