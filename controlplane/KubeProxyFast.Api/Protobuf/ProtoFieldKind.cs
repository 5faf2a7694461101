namespace KubeProxyFast.Api.Protobuf;

/// <summary>How a field's value is written in protobuf and in JSON.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The scalar kinds are protobuf's type names.")]
public enum ProtoFieldKind
{
    /// <summary>A UTF-8 string.</summary>
    String,
    /// <summary>Bytes; base64 in JSON (Secret data).</summary>
    Bytes,
    /// <summary>A boolean varint.</summary>
    Bool,
    /// <summary>int32 (negative values take ten bytes, as protobuf sign-extends them).</summary>
    Int32,
    /// <summary>int64.</summary>
    Int64,
    /// <summary>uint32.</summary>
    UInt32,
    /// <summary>uint64.</summary>
    UInt64,
    /// <summary>sint32 (zig-zag).</summary>
    SInt32,
    /// <summary>sint64 (zig-zag).</summary>
    SInt64,
    /// <summary>fixed32.</summary>
    Fixed32,
    /// <summary>fixed64.</summary>
    Fixed64,
    /// <summary>sfixed32.</summary>
    SFixed32,
    /// <summary>sfixed64.</summary>
    SFixed64,
    /// <summary>float.</summary>
    Float,
    /// <summary>double.</summary>
    Double,
    /// <summary>An enum, written as its number.</summary>
    Enum,
    /// <summary>A nested message; an object in JSON.</summary>
    Message,
    /// <summary>meta/v1 Time: RFC 3339 with seconds in JSON, <c>{seconds}</c> in protobuf.</summary>
    Time,
    /// <summary>meta/v1 MicroTime: RFC 3339 with microseconds in JSON, <c>{seconds, nanos}</c> in protobuf.</summary>
    MicroTime,
    /// <summary>intstr.IntOrString: a number or a string in JSON, <c>{type, intVal, strVal}</c> in protobuf.</summary>
    IntOrString,
    /// <summary>resource.Quantity: a string in both, wrapped in <c>{string}</c> in protobuf.</summary>
    Quantity,
    /// <summary>meta/v1 FieldsV1 and runtime.RawExtension: any JSON value, held as its bytes in protobuf.</summary>
    RawJson,
}
