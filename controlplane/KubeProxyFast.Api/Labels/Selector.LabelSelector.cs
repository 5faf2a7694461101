using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Labels;

/// <summary>Conversions between <see cref="Selector"/> and the structured <see cref="LabelSelector"/>.</summary>
public sealed partial class Selector
{
    // metav1.LabelSelectorOperator values; case-sensitive, as the API server treats them.
    private const string OperatorIn = "In";
    private const string OperatorNotIn = "NotIn";
    private const string OperatorExists = "Exists";
    private const string OperatorDoesNotExist = "DoesNotExist";

    /// <summary>
    /// Converts a <see cref="LabelSelector"/> (Kubernetes <c>metav1.LabelSelectorAsSelector</c>):
    /// <see langword="null"/> selects nothing (<see cref="Nothing"/>), an empty selector selects
    /// everything (<see cref="Everything"/>); otherwise <c>matchLabels</c> become <c>key=value</c>
    /// and <c>matchExpressions</c> become <c>in</c>/<c>notin</c>/<c>exists</c>/<c>!</c>
    /// requirements, all ANDed.
    /// </summary>
    /// <param name="labelSelector">The structured selector, or <see langword="null"/>.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="ArgumentException">
    /// An operator is not one of <c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>, or a
    /// requirement is invalid (bad key or value, values given to <c>Exists</c>, none to <c>In</c>).
    /// </exception>
    public static Selector FromLabelSelector(LabelSelector? labelSelector)
    {
        if (labelSelector is null)
        {
            return Nothing;
        }

        int count = (labelSelector.MatchLabels?.Count ?? 0) + (labelSelector.MatchExpressions?.Count ?? 0);
        if (count == 0)
        {
            return Everything;
        }

        var requirements = new List<Requirement>(count);
        foreach (KeyValuePair<string, string> label in labelSelector.MatchLabels ?? [])
        {
            requirements.Add(Requirement.Create(label.Key, SelectionOperator.Equals, label.Value));
        }

        foreach (LabelSelectorRequirement? expression in labelSelector.MatchExpressions ?? [])
        {
            ArgumentNullException.ThrowIfNull(expression, nameof(labelSelector));
            SelectionOperator op = expression.Operator switch
            {
                OperatorIn => SelectionOperator.In,
                OperatorNotIn => SelectionOperator.NotIn,
                OperatorExists => SelectionOperator.Exists,
                OperatorDoesNotExist => SelectionOperator.DoesNotExist,
                _ => throw new ArgumentException(
                    $"\"{expression.Operator}\" is not a valid label selector operator", nameof(labelSelector)),
            };
            requirements.Add(Requirement.Create(expression.Key, op, expression.Values ?? []));
        }

        return Create(requirements);
    }

    /// <summary>
    /// Converts to a <see cref="LabelSelector"/> (Kubernetes <c>metav1.ParseToLabelSelector</c>):
    /// <c>=</c> and <c>==</c> become <c>matchLabels</c>, the other operators
    /// <c>matchExpressions</c> in canonical order. Both collections are always present, so
    /// <see cref="Everything"/> gives an empty selector; <see cref="Nothing"/> gives
    /// <see langword="null"/>. A second equality on a key already in <c>matchLabels</c> becomes an
    /// <c>In</c> expression with one value, where Kubernetes would silently overwrite the first.
    /// </summary>
    /// <returns>The structured selector, or <see langword="null"/> for <see cref="Nothing"/>.</returns>
    /// <exception cref="InvalidOperationException">
    /// The selector has a <c>!=</c> requirement, which <c>metav1.LabelSelector</c> cannot express
    /// (Kubernetes rejects it the same way).
    /// </exception>
    public LabelSelector? ToLabelSelector()
    {
        if (_matchesNothing)
        {
            return null;
        }

        var matchLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        var matchExpressions = new List<LabelSelectorRequirement>();
        foreach (Requirement requirement in _requirements)
        {
            switch (requirement.Operator)
            {
                case SelectionOperator.Equals or SelectionOperator.DoubleEquals:
                    if (!matchLabels.TryAdd(requirement.Key, requirement.Values[0]))
                    {
                        matchExpressions.Add(Expression(requirement, OperatorIn));
                    }

                    break;
                case SelectionOperator.In:
                    matchExpressions.Add(Expression(requirement, OperatorIn));
                    break;
                case SelectionOperator.NotIn:
                    matchExpressions.Add(Expression(requirement, OperatorNotIn));
                    break;
                case SelectionOperator.Exists:
                    matchExpressions.Add(Expression(requirement, OperatorExists));
                    break;
                case SelectionOperator.DoesNotExist:
                    matchExpressions.Add(Expression(requirement, OperatorDoesNotExist));
                    break;
                default:
                    throw new InvalidOperationException(
                        $"\"!=\" is not a valid label selector operator: \"{requirement}\" has no metav1.LabelSelector form "
                        + $"(\"{requirement.Key} notin ({requirement.Values[0]})\" selects the same objects)");
            }
        }

        return new LabelSelector { MatchLabels = matchLabels, MatchExpressions = matchExpressions };
    }

    private static LabelSelectorRequirement Expression(Requirement requirement, string op) => new()
    {
        Key = requirement.Key,
        Operator = op,
        Values = requirement.Values.IsEmpty ? null : [.. requirement.Values],
    };
}
