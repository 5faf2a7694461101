namespace KubeProxyFast.Api.Serialization.Yaml;

/// <summary>What a <see cref="YamlNode"/> is.</summary>
internal enum YamlNodeKind : byte
{
    Scalar,
    Sequence,
    Mapping,

    /// <summary>A <c>*name</c>: the node it names is <see cref="YamlNode.Target"/>, shared, not copied.</summary>
    Alias,
}

/// <summary>
/// One node of a parsed YAML document, kept small because a 3 MiB body can hold a million of
/// them. An alias is a node of its own pointing at the anchored node, so expanding it is the
/// writer's decision, counted against the limits (<see cref="YamlLimits"/>), never the parser's.
/// </summary>
internal sealed class YamlNode
{
    private YamlNode(YamlNodeKind kind, long line)
    {
        Kind = kind;
        Line = line;
    }

    public YamlNodeKind Kind { get; }

    /// <summary>The 1-based line the node starts on, for errors.</summary>
    public long Line { get; }

    /// <summary>A scalar's text.</summary>
    public string Text { get; private init; } = "";

    /// <summary>
    /// A scalar that is a string whatever it reads as: quoted, a block scalar, or tagged
    /// <c>!!str</c>. Only plain scalars are typed by the core schema (<c>80</c> a number, <c>~</c> null).
    /// </summary>
    public bool IsString { get; private init; }

    /// <summary>A sequence's items; a mapping's keys and values, interleaved.</summary>
    public List<YamlNode>? Children { get; private init; }

    /// <summary>The node an alias names.</summary>
    public YamlNode? Target { get; private init; }

    /// <summary>This node, or the node it is an alias of.</summary>
    public YamlNode Resolved => Target ?? this;

    /// <summary>A plain <c>&lt;&lt;</c> key: the YAML 1.1 merge key.</summary>
    public bool IsMergeKey => Kind == YamlNodeKind.Scalar && !IsString && Text == "<<";

    /// <summary>A plain scalar the core schema reads as null (<c>~</c>, <c>null</c>, nothing).</summary>
    public bool IsNull => Kind == YamlNodeKind.Scalar && !IsString && Text is "" or "~" or "null" or "Null" or "NULL";

    public static YamlNode Scalar(string text, bool isString, long line) =>
        new(YamlNodeKind.Scalar, line) { Text = text, IsString = isString };

    public static YamlNode Collection(YamlNodeKind kind, long line) => new(kind, line) { Children = [] };

    public static YamlNode Alias(YamlNode target, long line) => new(YamlNodeKind.Alias, line) { Target = target };
}
