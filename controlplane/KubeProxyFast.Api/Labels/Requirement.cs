using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Labels;

/// <summary>
/// One term of a <see cref="Selector"/>: a label key, an operator and the values it compares
/// against (Kubernetes <c>labels.Requirement</c>). Immutable; the values are kept sorted
/// (ordinal) and without duplicates, which is also the order they are printed in.
/// </summary>
public sealed class Requirement : IEquatable<Requirement>
{
    // Up to this many values a linear scan beats a binary search; selectors almost always
    // carry one value per requirement.
    private const int LinearScanMax = 8;

    private readonly string[] _values;

    private Requirement(string key, SelectionOperator op, string[] sortedDistinctValues)
    {
        Key = key;
        Operator = op;
        _values = sortedDistinctValues;
    }

    /// <summary>The label key the requirement tests.</summary>
    public string Key { get; }

    /// <summary>How the label's value is compared with <see cref="Values"/>.</summary>
    public SelectionOperator Operator { get; }

    /// <summary>
    /// The values, sorted (ordinal) and distinct: one for the equality operators, at least one
    /// for <c>in</c>/<c>notin</c>, none for <c>exists</c>/<c>!</c>. The empty string is a value.
    /// </summary>
    public ImmutableArray<string> Values => ImmutableCollectionsMarshal.AsImmutableArray(_values);

    /// <summary>
    /// Creates a requirement after validating it as Kubernetes' <c>NewRequirement</c> does: the key
    /// must be a qualified name, every value a valid label value, and the number of values must
    /// fit the operator.
    /// </summary>
    /// <param name="key">The label key.</param>
    /// <param name="operator">The operator.</param>
    /// <param name="values">The values; duplicates are dropped for <c>in</c>/<c>notin</c>.</param>
    /// <returns>The requirement.</returns>
    /// <exception cref="ArgumentException">The requirement is invalid; the message lists every problem.</exception>
    public static Requirement Create(string key, SelectionOperator @operator, params IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        var list = new List<string>(values);
        var errors = new List<string>();
        if (KeyError(key) is { } keyError)
        {
            errors.Add(keyError);
        }

        switch (@operator)
        {
            case SelectionOperator.In or SelectionOperator.NotIn when list.Count == 0:
                errors.Add("for 'in', 'notin' operators, values set can't be empty");
                break;
            case SelectionOperator.Equals or SelectionOperator.DoubleEquals or SelectionOperator.NotEquals when list.Count != 1:
                errors.Add("exact-match compatibility requires one single value");
                break;
            case SelectionOperator.Exists or SelectionOperator.DoesNotExist when list.Count != 0:
                errors.Add("values set must be empty for exists and does not exist");
                break;
            case < SelectionOperator.Equals or > SelectionOperator.DoesNotExist:
                errors.Add($"unsupported operator \"{@operator}\"");
                break;
        }

        foreach (string value in list)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(values));
            if (ValueError(key, value) is { } valueError)
            {
                errors.Add(valueError);
            }
        }

        if (errors.Count != 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(key));
        }

        return CreateValidated(key, @operator, list);
    }

    /// <summary>
    /// Whether the labels satisfy the requirement. As in Kubernetes, <c>!=</c> and <c>notin</c>
    /// match when the key is absent; <c>=</c>, <c>==</c> and <c>in</c> need it present.
    /// </summary>
    /// <param name="labels">The object's labels; <see langword="null"/> means no labels.</param>
    /// <returns><see langword="true"/> when the requirement holds. Never allocates.</returns>
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        string? value = null;
        bool present = labels is not null && labels.TryGetValue(Key, out value);
        return Operator switch
        {
            SelectionOperator.Equals or SelectionOperator.DoubleEquals or SelectionOperator.In => present && HasValue(value!),
            SelectionOperator.NotEquals or SelectionOperator.NotIn => !present || !HasValue(value!),
            SelectionOperator.Exists => present,
            SelectionOperator.DoesNotExist => !present,
            _ => false,
        };
    }

    /// <summary>The canonical text: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>.</summary>
    /// <returns>The requirement in selector syntax.</returns>
    public override string ToString() => AppendTo(new StringBuilder()).ToString();

    /// <inheritdoc/>
    public bool Equals(Requirement? other) =>
        other is not null
        && Operator == other.Operator
        && string.Equals(Key, other.Key, StringComparison.Ordinal)
        && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Requirement);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Key, StringComparer.Ordinal);
        hash.Add(Operator);
        foreach (string value in _values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>Builds a requirement whose key, values and value count are already checked.</summary>
    internal static Requirement CreateValidated(string key, SelectionOperator op, List<string> values)
    {
        values.Sort(StringComparer.Ordinal);
        int distinct = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (distinct == 0 || !string.Equals(values[distinct - 1], values[i], StringComparison.Ordinal))
            {
                values[distinct++] = values[i];
            }
        }

        values.RemoveRange(distinct, values.Count - distinct);
        return new Requirement(key, op, [.. values]);
    }

    /// <summary>The message for an invalid label key, or <see langword="null"/> when it is valid.</summary>
    internal static string? KeyError(string key)
    {
        IReadOnlyList<string> errors = NameValidation.IsQualifiedName(key);
        return errors.Count == 0 ? null : $"invalid label key \"{key}\": {string.Join("; ", errors)}";
    }

    /// <summary>The message for an invalid label value, or <see langword="null"/> when it is valid.</summary>
    internal static string? ValueError(string key, string value)
    {
        IReadOnlyList<string> errors = NameValidation.IsValidLabelValue(value);
        return errors.Count == 0 ? null : $"invalid label value \"{value}\" for key \"{key}\": {string.Join("; ", errors)}";
    }

    /// <summary>Canonical order within a selector: key (ordinal), then operator, then values.</summary>
    internal static int Compare(Requirement? x, Requirement? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        int c = string.CompareOrdinal(x.Key, y.Key);
        if (c != 0)
        {
            return c;
        }

        c = x.Operator.CompareTo(y.Operator);
        for (int i = 0; c == 0 && i < Math.Min(x._values.Length, y._values.Length); i++)
        {
            c = string.CompareOrdinal(x._values[i], y._values[i]);
        }

        return c != 0 ? c : x._values.Length.CompareTo(y._values.Length);
    }

    /// <summary>Appends the canonical text to <paramref name="sb"/>.</summary>
    internal StringBuilder AppendTo(StringBuilder sb)
    {
        if (Operator == SelectionOperator.DoesNotExist)
        {
            sb.Append('!');
        }

        sb.Append(Key);
        switch (Operator)
        {
            case SelectionOperator.Equals:
                return sb.Append('=').Append(_values[0]);
            case SelectionOperator.DoubleEquals:
                return sb.Append("==").Append(_values[0]);
            case SelectionOperator.NotEquals:
                return sb.Append("!=").Append(_values[0]);
            case SelectionOperator.In or SelectionOperator.NotIn:
                sb.Append(Operator == SelectionOperator.In ? " in (" : " notin (");
                for (int i = 0; i < _values.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    sb.Append(_values[i]);
                }

                return sb.Append(')');
            default:
                return sb;
        }
    }

    private bool HasValue(string value)
    {
        string[] values = _values;
        if (values.Length <= LinearScanMax)
        {
            foreach (string candidate in values)
            {
                if (string.Equals(candidate, value, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        int lo = 0;
        int hi = values.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            int c = string.CompareOrdinal(values[mid], value);
            if (c == 0)
            {
                return true;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return false;
    }
}
