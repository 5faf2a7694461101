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
internal sealed class YamlTreeReader
{
    // Keys of a mapping up to this many are checked for duplicates by a scan, which allocates
    // nothing; larger mappings switch to a set.
    private const int ScanKeysUpTo = 16;

    private readonly Parser _parser;
    private readonly List<OpenCollection> _open = [];
    private Mark _last = Mark.Empty;
    private int _nodes;

    private YamlTreeReader(string yaml) => _parser = new Parser(new StringReader(yaml));

    /// <summary>The documents of <paramref name="yaml"/>; an empty document is a null root.</summary>
    /// <exception cref="KubeDecodeException">Malformed YAML, or a limit passed.</exception>
    public static List<YamlNode?> Read(string yaml) => new YamlTreeReader(yaml).ReadStream();

    private List<YamlNode?> ReadStream()
    {
        var documents = new List<YamlNode?>();
        try
        {
            _parser.Consume<StreamStart>();
            while (!_parser.Accept<StreamEnd>(out _))
            {
                _parser.Consume<DocumentStart>();
                documents.Add(ReadDocument());
                _parser.Consume<DocumentEnd>();
            }
        }
        catch (YamlException e)
        {
            throw Malformed(e.Start, Innermost(e).Message, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // YamlDotNet 16.3's scanner throws these, not a YamlException, on some malformed text:
            // InvalidOperationException for a flow collection left open before a "key:" line
            // (`metadata: {name: web` then `spec:`), ArgumentOutOfRangeException for an escaped
            // lone surrogate ("\udfff"). Each was a 500.
            throw Malformed(_last, e is InvalidOperationException && UnclosedFlow() is { } flow
                ? $"the flow {(flow.IsSequence ? "sequence [" : "mapping {")} opened at line {flow.Start.Line}, column {flow.Start.Column} is not closed"
                : $"the YAML parser stopped after this point: {e.Message}", e);
        }

        return documents;
    }

    private YamlNode? ReadDocument()
    {
        // Anchors are scoped to their document; a later definition of a name replaces the earlier.
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        while (true)
        {
            var parsed = _parser.Consume<ParsingEvent>();
            _last = parsed.End;
            YamlNode complete;
            switch (parsed)
            {
                case Scalar scalar:
                    Count(parsed);
                    complete = YamlNode.Scalar(scalar.Value, IsString(scalar), scalar.Start.Line);
                    Anchor(anchors, scalar, complete);
                    break;
                case AnchorAlias alias:
                    Count(parsed);
                    complete = YamlNode.Alias(Target(anchors, alias), alias.Start.Line);
                    break;
                case SequenceStart or MappingStart:
                    if (_open.Count == YamlLimits.MaxDepth)
                    {
                        throw Malformed(parsed.Start, $"nested deeper than {YamlLimits.MaxDepth} levels (the limit)");
                    }

                    Count(parsed);
                    var sequence = parsed is SequenceStart;
                    var collection = YamlNode.Collection(sequence ? YamlNodeKind.Sequence : YamlNodeKind.Mapping, parsed.Start.Line);
                    Anchor(anchors, (NodeEvent)parsed, collection);
                    var flow = parsed is SequenceStart { Style: SequenceStyle.Flow } or MappingStart { Style: MappingStyle.Flow };
                    _open.Add(new OpenCollection(collection, parsed.Start, flow));
                    continue;
                case SequenceEnd or MappingEnd:
                    var closed = _open[^1];
                    if (closed.Node.Kind == YamlNodeKind.Mapping && closed.Node.Children!.Count % 2 != 0)
                    {
                        // YamlDotNet 16.3 drops the value of an empty key (`: "http"` in a block
                        // mapping), leaving a key without a value.
                        throw Malformed(closed.Start, "this mapping has a key without a value (is a key empty?)");
                    }

                    complete = closed.Node;
                    _open.RemoveAt(_open.Count - 1);
                    break;
                default:
                    throw Malformed(parsed.Start, $"unexpected {parsed.GetType().Name}");
            }

            if (_open.Count == 0)
            {
                return complete.IsNull ? null : complete;
            }

            _open[^1].Add(complete, parsed.Start);
        }
    }

    /// <summary>The outermost flow collection still open, if any.</summary>
    private (bool IsSequence, Mark Start)? UnclosedFlow()
    {
        foreach (var collection in _open)
        {
            if (collection.IsFlow)
            {
                return (collection.Node.Kind == YamlNodeKind.Sequence, collection.Start);
            }
        }

        // Consume reads one event ahead: a failure there leaves the event it took as Current,
        // never handed to us (`a: [b` then `c: d` fails right after the `[`).
        return _parser.Current switch
        {
            SequenceStart { Style: SequenceStyle.Flow } start => (true, start.Start),
            MappingStart { Style: MappingStyle.Flow } start => (false, start.Start),
            _ => null,
        };
    }

    private void Count(ParsingEvent parsed)
    {
        if (++_nodes > YamlLimits.MaxNodes)
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

    private YamlNode Target(Dictionary<string, YamlNode> anchors, AnchorAlias alias)
    {
        if (!anchors.TryGetValue(alias.Value.Value, out var target))
        {
            throw Malformed(alias.Start, $"unknown anchor \"{alias.Value.Value}\"");
        }

        // An alias inside the node it names would make the document infinite.
        foreach (var collection in _open)
        {
            if (ReferenceEquals(collection.Node, target))
            {
                throw Malformed(alias.Start, $"the alias *{alias.Value.Value} is inside the node it names");
            }
        }

        return target;
    }

    private static bool IsString(Scalar scalar) =>
        scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == "tag:yaml.org,2002:str");

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
    private sealed class OpenCollection(YamlNode node, Mark start, bool isFlow)
    {
        private HashSet<string>? _keys;

        public YamlNode Node { get; } = node;

        /// <summary>Where the collection starts, for an error about it.</summary>
        public Mark Start { get; } = start;

        /// <summary>Written <c>[…]</c> or <c>{…}</c> rather than by indentation.</summary>
        public bool IsFlow { get; } = isFlow;

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
