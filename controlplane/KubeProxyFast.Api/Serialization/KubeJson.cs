using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// Encoding and decoding of API objects in Kubernetes' JSON form. Every decode failure becomes a
/// <see cref="KubeDecodeException"/> naming the field (never a raw <see cref="JsonException"/> or
/// a half-filled object).
/// </summary>
public static class KubeJson
{
    // The generated options with Go's escaping (an encoder cannot be given in the attribute).
    private static readonly KubeJsonContext Context = new(new JsonSerializerOptions(KubeJsonContext.Default.Options) { Encoder = GoJsonEncoder.Instance });

    /// <summary>Options with the source-generated metadata of all API types, escaping as Go (<see cref="GoJsonEncoder"/>).</summary>
    public static JsonSerializerOptions Options => Context.Options;

    /// <summary>Options for writers of API JSON: Go's escaping (<see cref="GoJsonEncoder"/>), compact.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = GoJsonEncoder.Instance };

    /// <summary>A writer of API JSON into <paramref name="output"/>, escaping as Go.</summary>
    public static Utf8JsonWriter CreateWriter(System.Buffers.IBufferWriter<byte> output) => new(output, WriterOptions);

    /// <summary>Metadata for <typeparamref name="T"/>; throws if it is not an API type.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() =>
        (JsonTypeInfo<T>?)Context.GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not a registered API type");

    /// <summary>Decodes UTF-8 JSON into <typeparamref name="T"/>.</summary>
    /// <exception cref="KubeDecodeException">The JSON is malformed or does not fit the type.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, TypeInfo<T>())
                ?? throw new KubeDecodeException("", "the document is null, expected an object");
        }
        catch (JsonException e)
        {
            throw JsonErrors.Translate(e);
        }
    }

    /// <summary>Decodes JSON text into <typeparamref name="T"/>.</summary>
    /// <exception cref="KubeDecodeException">The JSON is malformed or does not fit the type.</exception>
    public static T Deserialize<T>(string json)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize<T>(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Decodes a parsed JSON element into <typeparamref name="T"/>.</summary>
    /// <exception cref="KubeDecodeException">The element does not fit the type.</exception>
    public static T Deserialize<T>(JsonElement element)
        where T : class
    {
        try
        {
            return element.Deserialize(TypeInfo<T>())
                ?? throw new KubeDecodeException("", "the document is null, expected an object");
        }
        catch (JsonException e)
        {
            throw JsonErrors.Translate(e);
        }
    }

    /// <summary>Decodes UTF-8 JSON into an object of the API kind <paramref name="type"/>.</summary>
    /// <exception cref="KubeDecodeException">The JSON is malformed or does not fit the type.</exception>
    public static KubeObject Deserialize(ReadOnlySpan<byte> utf8Json, Type type)
    {
        try
        {
            return (KubeObject)(JsonSerializer.Deserialize(utf8Json, TypeInfo(type))
                ?? throw new KubeDecodeException("", "the document is null, expected an object"));
        }
        catch (JsonException e)
        {
            throw JsonErrors.Translate(e);
        }
    }

    /// <summary>Decodes a parsed JSON element into an object of the API kind <paramref name="type"/>.</summary>
    /// <exception cref="KubeDecodeException">The element does not fit the type.</exception>
    public static KubeObject Deserialize(JsonElement element, Type type)
    {
        try
        {
            return (KubeObject)(element.Deserialize(TypeInfo(type))
                ?? throw new KubeDecodeException("", "the document is null, expected an object"));
        }
        catch (JsonException e)
        {
            throw JsonErrors.Translate(e);
        }
    }

    /// <summary>Encodes an API object by its runtime type.</summary>
    public static byte[] SerializeObject(KubeObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo(value.GetType()));
    }

    /// <summary>Writes an API object by its runtime type.</summary>
    public static void SerializeObject(Utf8JsonWriter writer, KubeObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, value, TypeInfo(value.GetType()));
    }

    private static JsonTypeInfo TypeInfo(Type type) =>
        Context.GetTypeInfo(type)
        ?? throw new InvalidOperationException($"{type.Name} is not a registered API type");

    /// <summary>Encodes <paramref name="value"/> as UTF-8 JSON.</summary>
    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    /// <summary>Encodes <paramref name="value"/> as JSON text.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>());

    /// <summary>Writes <paramref name="value"/> to <paramref name="writer"/>.</summary>
    public static void Serialize<T>(Utf8JsonWriter writer, T value) => JsonSerializer.Serialize(writer, value, TypeInfo<T>());

    /// <summary>
    /// Decodes a document whose type is given by its own <c>apiVersion</c> and <c>kind</c>
    /// (a manifest, a watch event's object).
    /// </summary>
    /// <exception cref="KubeDecodeException">Malformed, missing or unknown kind, or a field that does not fit.</exception>
    public static KubeObject DeserializeObject(ReadOnlySpan<byte> utf8Json)
    {
        using var document = ParseDocument(utf8Json.ToArray());
        return DeserializeObject(document.RootElement);
    }

    /// <summary>Parses JSON into a document, for callers that inspect it before decoding it.</summary>
    /// <exception cref="KubeDecodeException">The JSON is malformed (the message gives line and column).</exception>
    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json);
        }
        catch (JsonException e)
        {
            throw JsonErrors.Translate(e);
        }
    }

    /// <summary>Decodes a parsed document whose type is given by its <c>apiVersion</c> and <c>kind</c>.</summary>
    /// <exception cref="KubeDecodeException">Missing or unknown kind, or a field that does not fit.</exception>
    public static KubeObject DeserializeObject(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new KubeDecodeException("", $"expected a JSON object, found {JsonErrors.Describe(root.ValueKind)}");
        }

        var apiVersion = ReadTypeField(root, "apiVersion");
        var kind = ReadTypeField(root, "kind");
        var info = KubeKinds.Find(apiVersion, kind)
            ?? throw new KubeDecodeException("", $"no kind \"{kind}\" is registered for version \"{apiVersion}\"");
        try
        {
            return (KubeObject)(root.Deserialize(Context.GetTypeInfo(info.Type)!)
                ?? throw new KubeDecodeException("", "the document is null, expected an object"));
        }
        catch (JsonException e)
        {
            throw JsonErrors.Translate(e);
        }
    }

    private static string ReadTypeField(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new KubeDecodeException(name, "Required value: the object has no " + name);
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            throw new KubeDecodeException(name, $"must be a non-empty string, found {JsonErrors.Describe(value.ValueKind)}");
        }

        return value.GetString()!;
    }
}
