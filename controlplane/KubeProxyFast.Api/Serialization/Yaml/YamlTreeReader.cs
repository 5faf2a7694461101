using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KubeProxyFast.Api.Serialization.Yaml;

/// <summary>
/// Parses a YAML stream into one <see cref="YamlNode"/> tree per document, straight from the
/// parser's events and without recursion, so nesting is refused at <see cref="YamlLimits.MaxDepth"/>
/// before the rest of a deep body is even scanned, and the node count at <see cref="YamlLimits.MaxNodes"/>.
/// Aliases stay references to their anchored node (the writer expands and counts them); an alias
/// of a node that contains it, or of an anchor not yet defined, is an error here.
/// </summary>
internal static class YamlTreeReader
{
    // Keys of a mapping up to this many are checked for duplicates by a scan, which allocates
    // nothing; larger mappings switch to a set.
    private const int ScanKeysUpTo = 16;

    /// <summary>The documents of <paramref name="yaml"/>; an empty document is a null root.</summary>
    /// <exception cref="KubeDecodeException">Malformed YAML, or a limit passed.</exception>
    public static List<YamlNode?> Read(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var documents = new List<YamlNode?>();
        var nodes = 0;
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.Accept<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                documents.Add(ReadDocument(parser, ref nodes));
                parser.Consume<DocumentEnd>();
            }
        }
        catch (YamlException e)
        {
            throw Malformed(e.Start, Innermost(e).Message, e);
        }

        return documents;
    }

    private static YamlNode? ReadDocument(Parser parser, ref int nodes)
    {
        // Anchors are scoped to their document; a later definition of a name replaces the earlier.
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var open = new List<OpenCollection>();
        while (true)
        {
            var parsed = parser.Consume<ParsingEvent>();
            YamlNode complete;
            switch (parsed)
            {
                case Scalar scalar:
                    Count(ref nodes, parsed);
                    complete = YamlNode.Scalar(scalar.Value, IsString(scalar), scalar.Start.Line);
                    Anchor(anchors, scalar, complete);
                    break;
                case AnchorAlias alias:
                    Count(ref nodes, parsed);
                    complete = YamlNode.Alias(Target(anchors, open, alias), alias.Start.Line);
                    break;
                case SequenceStart or MappingStart:
                    if (open.Count == YamlLimits.MaxDepth)
                    {
                        throw Malformed(parsed.Start, $"nested deeper than {YamlLimits.MaxDepth} levels (the limit)");
                    }

                    var collection = YamlNode.Collection(parsed is SequenceStart ? YamlNodeKind.Sequence : YamlNodeKind.Mapping, parsed.Start.Line);
                    Count(ref nodes, parsed);
                    Anchor(anchors, (NodeEvent)parsed, collection);
                    open.Add(new OpenCollection(collection));
                    continue;
                case SequenceEnd or MappingEnd:
                    complete = open[^1].Node;
                    open.RemoveAt(open.Count - 1);
                    break;
                default:
                    throw Malformed(parsed.Start, $"unexpected {parsed.GetType().Name}");
            }

            if (open.Count == 0)
            {
                return complete.IsNull ? null : complete;
            }

            open[^1].Add(complete, parsed.Start);
        }
    }

    private static bool IsString(Scalar scalar) =>
        scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == "tag:yaml.org,2002:str");

    private static void Count(ref int nodes, ParsingEvent parsed)
    {
        if (++nodes > YamlLimits.MaxNodes)
        {
            throw Malformed(parsed.Start, $"more than {YamlLimits.MaxNodes} nodes (the limit)");
        }
    }

    private static void Anchor(Dictionary<string, YamlNode> anchors, NodeEvent parsed, YamlNode node)
    {
        if (!parsed.Anchor.IsEmpty)
        {
            anchors[parsed.Anchor.Value] = node;
        }
    }

    private static YamlNode Target(Dictionary<string, YamlNode> anchors, List<OpenCollection> open, AnchorAlias alias)
    {
        if (!anchors.TryGetValue(alias.Value.Value, out var target))
        {
            throw Malformed(alias.Start, $"unknown anchor \"{alias.Value.Value}\"");
        }

        // An alias inside the node it names would make the document infinite.
        foreach (var collection in open)
        {
            if (ReferenceEquals(collection.Node, target))
            {
                throw Malformed(alias.Start, $"the alias *{alias.Value.Value} is inside the node it names");
            }
        }

        return target;
    }

    private static KubeDecodeException Malformed(Mark where, string message, Exception? inner = null) =>
        new("", $"malformed YAML at line {where.Line}, column {where.Column}: {message}", inner);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    /// <summary>A sequence or mapping whose end has not been read yet.</summary>
    private sealed class OpenCollection(YamlNode node)
    {
        private HashSet<string>? _keys;

        public YamlNode Node { get; } = node;

        public void Add(YamlNode child, Mark where)
        {
            var children = Node.Children!;
            if (Node.Kind == YamlNodeKind.Mapping && children.Count % 2 == 0)
            {
                CheckKey(child, where);
            }

            children.Add(child);
        }

        private void CheckKey(YamlNode key, Mark where)
        {
            var resolved = key.Resolved;
            if (resolved.Kind != YamlNodeKind.Scalar)
            {
                throw new KubeDecodeException("", $"line {where.Line}: a mapping key must be a plain string");
            }

            if (key.IsMergeKey)
            {
                return;
            }

            var children = Node.Children!;
            if (_keys is null && children.Count / 2 < ScanKeysUpTo)
            {
                for (var i = 0; i < children.Count; i += 2)
                {
                    if (!children[i].IsMergeKey && children[i].Resolved.Text == resolved.Text)
                    {
                        throw Malformed(where, $"duplicate key \"{resolved.Text}\"");
                    }
                }

                return;
            }

            if (_keys is null)
            {
                _keys = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < children.Count; i += 2)
                {
                    if (!children[i].IsMergeKey)
                    {
                        _keys.Add(children[i].Resolved.Text);
                    }
                }
            }

            if (!_keys.Add(resolved.Text))
            {
                throw Malformed(where, $"duplicate key \"{resolved.Text}\"");
            }
        }
    }
}
