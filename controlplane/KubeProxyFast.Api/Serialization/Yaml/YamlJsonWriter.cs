using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KubeProxyFast.Api.Serialization.Yaml;

/// <summary>
/// Writes a parsed YAML document as JSON, expanding aliases and merge keys, and counting what it
/// expands: each node written is a decode, and one written inside an alias an alias decode, as
/// go-yaml counts them, so a document that is mostly alias expansion is refused after about a
/// thousand nodes (<see cref="YamlLimits.ExcessiveAliasing"/>). The JSON written for the whole
/// stream is capped too, for the few aliases of long scalars that the ratio lets through.
/// </summary>
internal sealed class YamlJsonWriter
{
    // The JSON is only ever parsed again by us, never put into a page, so HTML-sensitive and
    // non-ASCII characters need no escaping (which would make them up to 6 bytes each).
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly long _maxBytes;
    private readonly int _yamlLength;
    private readonly YamlPath _path = new();
    private long _writtenBefore;
    private Utf8JsonWriter _writer = null!;
    private long _decodes;
    private long _aliasDecodes;
    private int _aliasDepth;

    /// <summary>A writer for the documents of a stream of <paramref name="yamlLength"/> characters.</summary>
    public YamlJsonWriter(int yamlLength)
    {
        _yamlLength = yamlLength;
        _maxBytes = YamlLimits.MaxJsonBytes(yamlLength);
    }

    /// <summary>The JSON of one document.</summary>
    /// <exception cref="KubeDecodeException">A value JSON cannot hold, or a limit passed.</exception>
    public byte[] Write(YamlNode root)
    {
        // go-yaml counts per document.
        _decodes = 0;
        _aliasDecodes = 0;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            _writer = writer;
            WriteNode(root, 0);
        }

        _writtenBefore += buffer.WrittenCount;
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteNode(YamlNode node, int depth)
    {
        Count();
        switch (node.Kind)
        {
            case YamlNodeKind.Alias:
                _aliasDepth++;
                WriteNode(node.Target!, depth);
                _aliasDepth--;
                break;
            case YamlNodeKind.Scalar:
                YamlScalars.Write(_writer, node, _path);
                CheckSize();
                break;
            case YamlNodeKind.Sequence:
                CheckDepth(depth);
                _writer.WriteStartArray();
                var items = node.Children!;
                for (var i = 0; i < items.Count; i++)
                {
                    _path.Push(i);
                    WriteNode(items[i], depth + 1);
                    _path.Pop();
                }

                _writer.WriteEndArray();
                break;
            default:
                CheckDepth(depth);
                _writer.WriteStartObject();
                if (HasMergeKey(node))
                {
                    WriteMerged(node, new HashSet<string>(StringComparer.Ordinal), depth, 0);
                }
                else
                {
                    var children = node.Children!;
                    for (var i = 0; i < children.Count; i += 2)
                    {
                        WriteMember(children[i], children[i + 1], depth);
                    }
                }

                _writer.WriteEndObject();
                break;
        }
    }

    private void WriteMember(YamlNode key, YamlNode value, int depth)
    {
        Count();
        var name = key.Resolved.Text;
        _writer.WritePropertyName(name);
        CheckSize();
        _path.Push(name);
        WriteNode(value, depth + 1);
        _path.Pop();
    }

    /// <summary>
    /// The members of a mapping with merge keys (<c>&lt;&lt;: *base</c>), without duplicates: its
    /// own keys win over merged ones, and among merged mappings the earlier wins, as YAML 1.1's
    /// merge key says. <paramref name="taken"/> holds the keys written or claimed by a mapping
    /// that wins over this one; a merged mapping may have merge keys of its own.
    /// </summary>
    private void WriteMerged(YamlNode mapping, HashSet<string> taken, int depth, int merges)
    {
        var children = mapping.Children!;
        var own = new bool[children.Count / 2];
        for (var i = 0; i < children.Count; i += 2)
        {
            own[i / 2] = !children[i].IsMergeKey && taken.Add(children[i].Resolved.Text);
        }

        for (var i = 0; i < children.Count; i += 2)
        {
            if (own[i / 2])
            {
                WriteMember(children[i], children[i + 1], depth);
                continue;
            }

            Count();
            if (!children[i].IsMergeKey)
            {
                continue;
            }

            if (merges == YamlLimits.MaxDepth)
            {
                throw new KubeDecodeException(_path.ToString(), $"line {children[i].Line}: merge keys nested deeper than {YamlLimits.MaxDepth} levels (the limit)");
            }

            var value = children[i + 1];
            var sources = value.Resolved;
            if (sources.Kind == YamlNodeKind.Mapping)
            {
                WriteMergedSource(value, taken, depth, merges);
                continue;
            }

            if (sources.Kind != YamlNodeKind.Sequence)
            {
                throw NotMergeable(children[i]);
            }

            EnterAlias(value);
            foreach (var source in sources.Children!)
            {
                if (source.Resolved.Kind != YamlNodeKind.Mapping)
                {
                    throw NotMergeable(children[i]);
                }

                WriteMergedSource(source, taken, depth, merges);
            }

            LeaveAlias(value);
        }
    }

    private void WriteMergedSource(YamlNode source, HashSet<string> taken, int depth, int merges)
    {
        Count();
        EnterAlias(source);
        WriteMerged(source.Resolved, taken, depth, merges + 1);
        LeaveAlias(source);
    }

    private void EnterAlias(YamlNode node)
    {
        if (node.Kind == YamlNodeKind.Alias)
        {
            _aliasDepth++;
        }
    }

    private void LeaveAlias(YamlNode node)
    {
        if (node.Kind == YamlNodeKind.Alias)
        {
            _aliasDepth--;
        }
    }

    private static bool HasMergeKey(YamlNode mapping)
    {
        var children = mapping.Children!;
        for (var i = 0; i < children.Count; i += 2)
        {
            if (children[i].IsMergeKey)
            {
                return true;
            }
        }

        return false;
    }

    private KubeDecodeException NotMergeable(YamlNode key) =>
        new(_path.ToString(), $"line {key.Line}: the merge key << takes a mapping or a list of mappings");

    private void Count()
    {
        _decodes++;
        if (_aliasDepth > 0)
        {
            _aliasDecodes++;
        }

        if (YamlLimits.ExcessiveAliasing(_decodes, _aliasDecodes))
        {
            throw new KubeDecodeException(_path.ToString(),
                $"the document contains excessive aliasing: {_aliasDecodes} of the first {_decodes} nodes come from aliases, " +
                $"more than the {YamlLimits.AllowedAliasRatio(_decodes) * 100:0}% allowed (the limit go-yaml and so Kubernetes apply)");
        }
    }

    private void CheckDepth(int depth)
    {
        if (depth == YamlLimits.MaxDepth)
        {
            throw new KubeDecodeException(_path.ToString(), $"nested deeper than {YamlLimits.MaxDepth} levels (the limit) where aliases are expanded");
        }
    }

    private void CheckSize()
    {
        if (_writtenBefore + _writer.BytesCommitted + _writer.BytesPending > _maxBytes)
        {
            throw new KubeDecodeException(_path.ToString(),
                $"the YAML expands to more than {_maxBytes} bytes of JSON, the limit for {_yamlLength} characters of YAML " +
                $"({YamlLimits.JsonBytesPerYamlChar} bytes a character, at least {YamlLimits.MinJsonBytes})");
        }
    }
}
