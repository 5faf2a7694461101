using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// YAML manifests to JSON, the way kubectl reads them: a stream of documents separated by
/// <c>---</c>, empty documents skipped, each turned into the equivalent JSON document. Plain
/// scalars are typed by the YAML 1.2 core schema (so <c>port: 80</c> is a number and
/// <c>port: "80"</c> a string); anchors, aliases and merge keys are resolved.
/// </summary>
public static class YamlDocuments
{
    private const int MaxDepth = 64;

    /// <summary>Converts every non-empty document of <paramref name="yaml"/> to UTF-8 JSON.</summary>
    /// <exception cref="KubeDecodeException">The YAML is malformed or cannot be expressed as JSON.</exception>
    public static IReadOnlyList<byte[]> ToJson(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new MergingParser(new Parser(new StringReader(yaml))));
        }
        catch (YamlException e)
        {
            throw new KubeDecodeException(
                "", $"malformed YAML at line {e.Start.Line}, column {e.Start.Column}: {Innermost(e).Message}", e);
        }

        var documents = new List<byte[]>(stream.Documents.Count);
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode scalar && IsNull(scalar))
            {
                continue;
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                Write(writer, document.RootNode, "", 0);
            }

            documents.Add(buffer.WrittenSpan.ToArray());
        }

        return documents;
    }

    /// <summary>Decodes every document of <paramref name="yaml"/> as a typed API object.</summary>
    /// <exception cref="KubeDecodeException">Malformed YAML, or a document that is not a valid object; the message names the document.</exception>
    public static IReadOnlyList<Meta.KubeObject> ToObjects(string yaml)
    {
        var documents = ToJson(yaml);
        var objects = new List<Meta.KubeObject>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            try
            {
                objects.Add(KubeJson.DeserializeObject(documents[i]));
            }
            catch (KubeDecodeException e)
            {
                throw new KubeDecodeException(e.Field, $"document {i + 1}: {e.Detail}", e);
            }
        }

        return objects;
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new KubeDecodeException(path, $"nested deeper than {MaxDepth} levels");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new KubeDecodeException(path, $"line {key.Start.Line}: a mapping key must be a plain string");
                    }

                    writer.WritePropertyName(name);
                    Write(writer, value, path.Length == 0 ? name : path + "." + name, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Write(writer, sequence.Children[i], $"{path}[{i}]", depth + 1);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar, path);
                break;
            default:
                throw new KubeDecodeException(path, $"line {node.Start.Line}: unsupported YAML node");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar, string path)
    {
        var text = scalar.Value ?? "";
        var explicitTag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain || explicitTag == "tag:yaml.org,2002:str")
        {
            writer.WriteStringValue(text);
            return;
        }

        if (IsNull(scalar))
        {
            writer.WriteNullValue();
        }
        else if (text is "true" or "True" or "TRUE")
        {
            writer.WriteBooleanValue(true);
        }
        else if (text is "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(false);
        }
        else if (TryParseInteger(text, out var integer))
        {
            writer.WriteRawValue(integer.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
        }
        else if (text.TrimStart('-', '+') is ".inf" or ".Inf" or ".INF" or ".nan" or ".NaN" or ".NAN")
        {
            throw new KubeDecodeException(path, $"the number {text} cannot be represented in JSON");
        }
        else if (LooksLikeFloat(text) &&
                 double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            if (!double.IsFinite(real))
            {
                throw new KubeDecodeException(path, $"the number {text} is too large for JSON");
            }

            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static bool TryParseInteger(string text, out BigInteger value)
    {
        value = default;
        var span = text.AsSpan();
        var negative = false;
        if (span.Length > 0 && (span[0] == '-' || span[0] == '+'))
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        if (span.Length == 0)
        {
            return false;
        }

        bool parsed;
        if (span.StartsWith("0x", StringComparison.Ordinal))
        {
            // A leading 0 keeps BigInteger from reading the top bit as a sign.
            parsed = span.Length > 2 && BigInteger.TryParse(
                "0" + span[2..].ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else if (span.StartsWith("0o", StringComparison.Ordinal))
        {
            parsed = TryParseOctal(span[2..], out value);
        }
        else
        {
            foreach (var c in span)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            parsed = BigInteger.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        if (parsed && negative)
        {
            value = -value;
        }

        return parsed;
    }

    private static bool TryParseOctal(ReadOnlySpan<char> digits, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (digits.Length == 0)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        return true;
    }

    // YAML 1.2 core: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    private static bool LooksLikeFloat(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] is '-' or '+')
        {
            i++;
        }

        var mantissaDigits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            mantissaDigits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                mantissaDigits++;
            }
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '-' or '+')
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
