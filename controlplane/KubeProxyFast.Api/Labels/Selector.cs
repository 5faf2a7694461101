using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;

namespace KubeProxyFast.Api.Labels;

/// <summary>
/// A Kubernetes label selector (<c>k8s.io/apimachinery/pkg/labels</c>): the AND of its
/// <see cref="Requirements"/>. Immutable and safe to share between threads. The requirements are
/// kept in canonical order (key, then operator, then values, all ordinal), so equal selectors print
/// the same and <c>Parse(s.ToString())</c> equals <c>s</c>.
/// </summary>
/// <remarks>
/// Two selectors have no requirements: <see cref="Everything"/> matches every object, and
/// <see cref="Nothing"/> matches none (what a missing <c>metav1.LabelSelector</c> means).
/// </remarks>
public sealed partial class Selector : IEquatable<Selector>
{
    private readonly Requirement[] _requirements;
    private readonly bool _matchesNothing;

    private Selector(Requirement[] sortedRequirements, bool matchesNothing)
    {
        _requirements = sortedRequirements;
        _matchesNothing = matchesNothing;
    }

    /// <summary>The selector with no requirements, which matches every set of labels.</summary>
    public static Selector Everything { get; } = new([], matchesNothing: false);

    /// <summary>
    /// The selector that matches no labels at all (Kubernetes <c>labels.Nothing()</c>), the meaning
    /// of a <see langword="null"/> <c>metav1.LabelSelector</c>. It prints as the empty string, like
    /// Kubernetes, so it does not survive a round trip through text.
    /// </summary>
    public static Selector Nothing { get; } = new([], matchesNothing: true);

    /// <summary>The requirements, in canonical order.</summary>
    public ImmutableArray<Requirement> Requirements => ImmutableCollectionsMarshal.AsImmutableArray(_requirements);

    /// <summary>
    /// Whether the selector leaves the selection unrestricted (no requirements), as Kubernetes'
    /// <c>Empty()</c>; <see langword="false"/> for <see cref="Nothing"/>.
    /// </summary>
    public bool IsEmpty => _requirements.Length == 0 && !_matchesNothing;

    /// <summary>Whether this is <see cref="Nothing"/>, which no labels match.</summary>
    public bool MatchesNothing => _matchesNothing;

    /// <summary>
    /// Parses the query-string form of a selector, e.g. <c>app=web,env in (prod,qa),!legacy,tier</c>.
    /// The empty (or all-blank) string is <see cref="Everything"/>.
    /// </summary>
    /// <param name="text">The selector text.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="SelectorParseException">The text is malformed or names an invalid key or value.</exception>
    public static Selector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!SelectorParser.TryParse(text, out Selector? selector, out SelectorParser.Error error))
        {
            throw new SelectorParseException(error.Message, error.Position, error.Token);
        }

        return selector;
    }

    /// <summary>Parses like <see cref="Parse"/> but reports failure instead of throwing.</summary>
    /// <param name="text">The selector text; <see langword="null"/> fails.</param>
    /// <param name="selector">The selector, when the text is valid.</param>
    /// <returns>Whether the text is a valid selector.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Selector? selector)
    {
        if (text is null)
        {
            selector = null;
            return false;
        }

        return SelectorParser.TryParse(text, out selector, out _);
    }

    /// <summary>
    /// The selector that requires every label of <paramref name="labels"/> to be present with that
    /// value (Kubernetes <c>labels.SelectorFromSet</c>, e.g. a Service's <c>spec.selector</c>).
    /// An empty or <see langword="null"/> map gives <see cref="Everything"/>. Unlike Kubernetes'
    /// unvalidated variant, keys and values are validated, so the result always prints as a
    /// parseable selector.
    /// </summary>
    /// <param name="labels">The required labels.</param>
    /// <returns>An AND of <c>key=value</c> requirements.</returns>
    /// <exception cref="ArgumentException">A key or value is not valid label syntax.</exception>
    public static Selector FromSet(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return Everything;
        }

        var requirements = new List<Requirement>(labels.Count);
        foreach (KeyValuePair<string, string> label in labels)
        {
            requirements.Add(Requirement.Create(label.Key, SelectionOperator.Equals, label.Value));
        }

        return Create(requirements);
    }

    /// <summary>The selector that ANDs <paramref name="requirements"/>; none gives <see cref="Everything"/>.</summary>
    /// <param name="requirements">The requirements, in any order.</param>
    /// <returns>The selector.</returns>
    public static Selector FromRequirements(IEnumerable<Requirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var list = new List<Requirement>(requirements);
        foreach (Requirement requirement in list)
        {
            ArgumentNullException.ThrowIfNull(requirement, nameof(requirements));
        }

        return Create(list);
    }

    /// <summary>
    /// Whether every requirement holds for <paramref name="labels"/>. This is the hot path of
    /// the endpoints controller (every Service against every Pod): it does not allocate.
    /// </summary>
    /// <param name="labels">The object's labels; <see langword="null"/> means no labels.</param>
    /// <returns><see langword="true"/> when the labels are selected.</returns>
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        if (_matchesNothing)
        {
            return false;
        }

        Requirement[] requirements = _requirements;
        for (int i = 0; i < requirements.Length; i++)
        {
            if (!requirements[i].Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The canonical text: requirements in canonical order joined by ',' without spaces, e.g.
    /// <c>app=web,env in (prod,qa),!legacy,tier</c>. <see cref="Everything"/> and
    /// <see cref="Nothing"/> both print as the empty string, as in Kubernetes.
    /// </summary>
    /// <returns>The selector in query-string syntax.</returns>
    public override string ToString()
    {
        if (_requirements.Length == 0)
        {
            return "";
        }

        var sb = new StringBuilder();
        for (int i = 0; i < _requirements.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            _requirements[i].AppendTo(sb);
        }

        return sb.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(Selector? other)
    {
        if (other is null || _matchesNothing != other._matchesNothing || _requirements.Length != other._requirements.Length)
        {
            return false;
        }

        for (int i = 0; i < _requirements.Length; i++)
        {
            if (!_requirements[i].Equals(other._requirements[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Selector);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_matchesNothing);
        foreach (Requirement requirement in _requirements)
        {
            hash.Add(requirement);
        }

        return hash.ToHashCode();
    }

    /// <summary>Builds a selector from requirements in any order; takes ownership of the list.</summary>
    internal static Selector Create(List<Requirement> requirements)
    {
        if (requirements.Count == 0)
        {
            return Everything;
        }

        requirements.Sort(Requirement.Compare);
        return new Selector([.. requirements], matchesNothing: false);
    }
}
