using System.Text;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>One field of a <see cref="ProtoMessage"/>: its number, its JSON name and how its value is written.</summary>
public sealed class ProtoField
{
    private readonly MessageDescriptor? _messageType;
    private ProtoMessage? _message;

    internal ProtoField(FieldDescriptor descriptor, string owner, int index, bool keepsZero, ProtoField? via = null)
    {
        Via = via;
        Inline = descriptor.GetOptions()?.GetExtension(KubeProtoMessages.InlineOption) ?? false;
        Number = descriptor.FieldNumber;
        Name = descriptor.Name;
        Index = index;
        Owner = owner;
        Utf8Name = Encoding.UTF8.GetBytes(Name);
        JsonName = JsonEncodedText.Encode(Name);
        IsMap = descriptor.IsMap;
        Repeated = descriptor.IsRepeated && !IsMap;
        Packed = descriptor.IsPacked;
        KeepsZero = keepsZero;
        if (IsMap)
        {
            var entry = descriptor.MessageType;
            MapKey = new ProtoField(entry.FindFieldByNumber(1), entry.FullName, 0, keepsZero: true);
            MapValue = new ProtoField(entry.FindFieldByNumber(2), entry.FullName, 1, keepsZero: true);
            Kind = ProtoFieldKind.Message;
            return;
        }

        (Kind, _messageType) = descriptor.FieldType switch
        {
            FieldType.String => (ProtoFieldKind.String, null),
            FieldType.Bytes => (ProtoFieldKind.Bytes, null),
            FieldType.Bool => (ProtoFieldKind.Bool, null),
            FieldType.Int32 => (ProtoFieldKind.Int32, null),
            FieldType.Int64 => (ProtoFieldKind.Int64, null),
            FieldType.UInt32 => (ProtoFieldKind.UInt32, null),
            FieldType.UInt64 => (ProtoFieldKind.UInt64, null),
            FieldType.SInt32 => (ProtoFieldKind.SInt32, null),
            FieldType.SInt64 => (ProtoFieldKind.SInt64, null),
            FieldType.Fixed32 => (ProtoFieldKind.Fixed32, null),
            FieldType.Fixed64 => (ProtoFieldKind.Fixed64, null),
            FieldType.SFixed32 => (ProtoFieldKind.SFixed32, null),
            FieldType.SFixed64 => (ProtoFieldKind.SFixed64, null),
            FieldType.Float => (ProtoFieldKind.Float, null),
            FieldType.Double => (ProtoFieldKind.Double, null),
            FieldType.Enum => (ProtoFieldKind.Enum, null),
            FieldType.Message => (SpecialKind(descriptor.MessageType.FullName), descriptor.MessageType),
            _ => throw new NotSupportedException($"field {descriptor.FullName} is a {descriptor.FieldType}, which Kubernetes' messages do not use"),
        };
    }

    /// <summary>
    /// For a field of an inlined message, as the parent's name lookup finds it: the parent's inline
    /// field whose message holds it (a Probe's <c>exec</c> is in its <c>handler</c>); else null.
    /// </summary>
    public ProtoField? Via { get; }

    /// <summary>
    /// The field's message is inlined in its parent's JSON object (Go's <c>json:",inline"</c>): its
    /// fields are the parent's JSON properties, while protobuf nests them under this field.
    /// </summary>
    public bool Inline { get; }

    /// <summary>The field number.</summary>
    public int Number { get; }

    /// <summary>The field's name, which is its JSON property name.</summary>
    public string Name { get; }

    /// <summary>The full name of the message the field belongs to (for error messages).</summary>
    public string Owner { get; }

    /// <summary>The field's position in its message (declaration order).</summary>
    public int Index { get; }

    /// <summary><see cref="Name"/> in UTF-8.</summary>
    public byte[] Utf8Name { get; }

    /// <summary><see cref="Name"/> encoded for <see cref="Utf8JsonWriter"/>.</summary>
    public JsonEncodedText JsonName { get; }

    /// <summary>How the value (of a map: the entry) is written.</summary>
    public ProtoFieldKind Kind { get; }

    /// <summary>A repeated field that is not a map: an array in JSON.</summary>
    public bool Repeated { get; }

    /// <summary>A repeated scalar written packed (one length-delimited run).</summary>
    public bool Packed { get; }

    /// <summary>A map: an object in JSON, entries <c>{key = 1, value = 2}</c> in protobuf.</summary>
    public bool IsMap { get; }

    /// <summary>The key of a map's entries.</summary>
    public ProtoField? MapKey { get; }

    /// <summary>The value of a map's entries.</summary>
    public ProtoField? MapValue { get; }

    /// <summary>
    /// A scalar whose zero value is kept when protobuf is read into JSON: a pointer in Kubernetes'
    /// Go types (<c>replicas: 0</c> is not an absent replicas). See <c>PointerFields.txt</c>.
    /// </summary>
    public bool KeepsZero { get; }

    /// <summary>The nested message of a <see cref="ProtoFieldKind.Message"/> field.</summary>
    public ProtoMessage Message => _message ??= ProtoMessage.For(_messageType ?? throw new InvalidOperationException($"{Name} is not a message"));

    /// <summary>The wire type the field's single values are written with.</summary>
    public WireType WireType => Kind switch
    {
        ProtoFieldKind.Bool or ProtoFieldKind.Int32 or ProtoFieldKind.Int64 or ProtoFieldKind.UInt32 or ProtoFieldKind.UInt64
            or ProtoFieldKind.SInt32 or ProtoFieldKind.SInt64 or ProtoFieldKind.Enum => WireType.Varint,
        ProtoFieldKind.Fixed32 or ProtoFieldKind.SFixed32 or ProtoFieldKind.Float => WireType.Fixed32,
        ProtoFieldKind.Fixed64 or ProtoFieldKind.SFixed64 or ProtoFieldKind.Double => WireType.Fixed64,
        _ => WireType.LengthDelimited,
    };

    /// <summary>"field 2 (spec) of k8s.io.api.core.v1.Pod", for error messages.</summary>
    public string Describe() => $"field {Number} ({Name}) of {Owner}";

    /// <summary>The Kubernetes types with a JSON form of their own, by message full name.</summary>
    private static ProtoFieldKind SpecialKind(string fullName) => fullName switch
    {
        "k8s.io.apimachinery.pkg.apis.meta.v1.Time" => ProtoFieldKind.Time,
        "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime" => ProtoFieldKind.MicroTime,
        "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1" => ProtoFieldKind.RawJson,
        "k8s.io.apimachinery.pkg.runtime.RawExtension" => ProtoFieldKind.RawJson,
        "k8s.io.apimachinery.pkg.util.intstr.IntOrString" => ProtoFieldKind.IntOrString,
        "k8s.io.apimachinery.pkg.api.resource.Quantity" => ProtoFieldKind.Quantity,
        _ => ProtoFieldKind.Message,
    };
}
