namespace KubeProxyFast.Api.Core;

/// <summary>v1 Affinity: the pod's scheduling constraints (node affinity; pod affinity is not modelled and kept as written).</summary>
public sealed class Affinity : Meta.Extensible
{
    /// <summary>Which nodes the pod may (required) or would rather (preferred) run on.</summary>
    public NodeAffinity? NodeAffinity { get; set; }
}

/// <summary>v1 NodeAffinity.</summary>
public sealed class NodeAffinity : Meta.Extensible
{
    /// <summary>A node must match one of these terms to be chosen.</summary>
    public NodeSelector? RequiredDuringSchedulingIgnoredDuringExecution { get; set; }

    /// <summary>Nodes matching these terms score the terms' weights.</summary>
    public List<PreferredSchedulingTerm>? PreferredDuringSchedulingIgnoredDuringExecution { get; set; }
}

/// <summary>v1 NodeSelector: terms ORed together.</summary>
public sealed class NodeSelector : Meta.Extensible
{
    /// <summary>At least one; a node matches when it matches any of them.</summary>
    public List<NodeSelectorTerm>? NodeSelectorTerms { get; set; }
}

/// <summary>v1 NodeSelectorTerm: requirements ANDed together; a term with none matches no node.</summary>
public sealed class NodeSelectorTerm : Meta.Extensible
{
    /// <summary>Requirements on the node's labels.</summary>
    public List<NodeSelectorRequirement>? MatchExpressions { get; set; }

    /// <summary>Requirements on the node's fields (only <c>metadata.name</c>).</summary>
    public List<NodeSelectorRequirement>? MatchFields { get; set; }
}

/// <summary>v1 NodeSelectorRequirement.</summary>
public sealed class NodeSelectorRequirement : Meta.Extensible
{
    /// <summary>The label key (or field path) it applies to.</summary>
    public string Key { get; set; } = "";

    /// <summary><c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>, <c>Gt</c> or <c>Lt</c>.</summary>
    public string Operator { get; set; } = "";

    /// <summary>Values: non-empty for In/NotIn, empty for Exists/DoesNotExist, one integer for Gt/Lt.</summary>
    public List<string>? Values { get; set; }
}

/// <summary>v1 PreferredSchedulingTerm.</summary>
public sealed class PreferredSchedulingTerm : Meta.Extensible
{
    /// <summary>1–100, added to the node's score when it matches.</summary>
    public int Weight { get; set; }

    /// <summary>The term a node must match.</summary>
    public NodeSelectorTerm Preference { get; set; } = new();
}

/// <summary>Values of <see cref="NodeSelectorRequirement.Operator"/>.</summary>
public static class NodeSelectorOperators
{
    /// <summary>The label's value is one of the values.</summary>
    public const string In = "In";
    /// <summary>The label is absent or its value none of the values.</summary>
    public const string NotIn = "NotIn";
    /// <summary>The label exists.</summary>
    public const string Exists = "Exists";
    /// <summary>The label does not exist.</summary>
    public const string DoesNotExist = "DoesNotExist";
    /// <summary>The label's value, an integer, is greater than the one value.</summary>
    public const string Gt = "Gt";
    /// <summary>The label's value, an integer, is less than the one value.</summary>
    public const string Lt = "Lt";
}
