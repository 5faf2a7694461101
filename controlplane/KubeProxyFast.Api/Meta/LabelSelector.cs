namespace KubeProxyFast.Api.Meta;

/// <summary>
/// metav1.LabelSelector: the structured form of a selector used by newer objects and by
/// <c>kubectl</c>. The requirements of <see cref="MatchLabels"/> and <see cref="MatchExpressions"/>
/// are ANDed. Converted to and from the string form by <c>KubeProxyFast.Api.Labels.Selector</c>.
/// </summary>
public sealed record LabelSelector
{
    /// <summary>Equality requirements: each key must have exactly this value.</summary>
    public Dictionary<string, string>? MatchLabels { get; set; }

    /// <summary>Set-based requirements.</summary>
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

/// <summary>One set-based requirement of a <see cref="LabelSelector"/>.</summary>
public sealed record LabelSelectorRequirement
{
    /// <summary>The label key the requirement applies to.</summary>
    public string Key { get; set; } = "";

    /// <summary>One of <c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>.</summary>
    public string Operator { get; set; } = "";

    /// <summary>Values for <c>In</c>/<c>NotIn</c>; must be empty for <c>Exists</c>/<c>DoesNotExist</c>.</summary>
    public List<string>? Values { get; set; }
}
