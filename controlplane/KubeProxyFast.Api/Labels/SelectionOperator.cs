namespace KubeProxyFast.Api.Labels;

/// <summary>
/// The operator of a <see cref="Requirement"/> (Kubernetes <c>selection.Operator</c>). The
/// numeric order is the tie-break when two requirements of a selector share a key.
/// </summary>
public enum SelectionOperator
{
    /// <summary><c>key=value</c>: the label is present and has the value.</summary>
    Equals,

    /// <summary><c>key==value</c>: same meaning as <see cref="Equals"/>, printed as written.</summary>
    DoubleEquals,

    /// <summary><c>key!=value</c>: the label is absent or has another value.</summary>
    NotEquals,

    /// <summary><c>key in (v1,v2)</c>: the label is present and has one of the values.</summary>
    In,

    /// <summary><c>key notin (v1,v2)</c>: the label is absent or has none of the values.</summary>
    NotIn,

    /// <summary><c>key</c>: the label is present, with any value.</summary>
    Exists,

    /// <summary><c>!key</c>: the label is absent.</summary>
    DoesNotExist,
}
