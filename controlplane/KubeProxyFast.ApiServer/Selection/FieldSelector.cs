using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Selection;

/// <summary>
/// A field selector (<c>spec.nodeName=n1,status.phase!=Running</c>): terms joined by commas, each
/// <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>, all of which must hold.
/// Backslash escapes <c>,</c> <c>=</c> <c>!</c> and <c>\</c> in values, as Kubernetes' fields package.
/// </summary>
internal sealed class FieldSelector
{
    private readonly (string Field, string Value, bool Equal)[] _terms;

    private FieldSelector((string, string, bool)[] terms) => _terms = terms;

    /// <summary>Matches everything.</summary>
    public static FieldSelector Everything { get; } = new([]);

    /// <summary>True when the selector has no terms.</summary>
    public bool IsEmpty => _terms.Length == 0;

    /// <summary>The value the selector requires of <paramref name="field"/> with <c>=</c>, or null.</summary>
    public string? RequiredValue(string field)
    {
        foreach (var (f, value, equal) in _terms)
        {
            if (equal && f == field)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Parses <paramref name="text"/> and checks every field is one <paramref name="resource"/> can select on.</summary>
    /// <exception cref="StatusException">400 naming the bad term or unsupported field.</exception>
    public static FieldSelector Parse(string? text, ResourceDefinition resource)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, string, bool)>();
        foreach (var term in SplitUnescaped(text, ','))
        {
            var (field, value, equal) = ParseTerm(term);
            if (resource.Strategy.FieldValue(resource.Blank, field) is null)
            {
                throw StatusErrors.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, value, equal));
        }

        return new FieldSelector([.. terms]);
    }

    /// <summary>True when <paramref name="obj"/> satisfies every term.</summary>
    public bool Matches(ResourceDefinition resource, KubeObject obj)
    {
        foreach (var (field, value, equal) in _terms)
        {
            if ((resource.Strategy.FieldValue(obj, field) == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static (string Field, string Value, bool Equal) ParseTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            if (term[i] == '!' && i + 1 < term.Length && term[i + 1] == '=')
            {
                return (Field(term, i), Unescape(term[(i + 2)..]), false);
            }

            if (term[i] == '=')
            {
                var skip = i + 1 < term.Length && term[i + 1] == '=' ? 2 : 1;
                return (Field(term, i), Unescape(term[(i + skip)..]), true);
            }
        }

        throw StatusErrors.BadRequest($"invalid field selector: '{term}': expected an operator (=, ==, !=)");
    }

    private static string Field(string term, int end)
    {
        var field = term[..end].Trim();
        return field.Length > 0 ? field : throw StatusErrors.BadRequest($"invalid field selector: '{term}': the field name is empty");
    }

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            builder.Append(value[i]);
        }

        return builder.ToString();
    }
}
