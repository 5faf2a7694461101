using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace KubeProxyFast.Api.Labels;

/// <summary>
/// Recursive-descent parser for the selector query-string syntax, with the grammar and error
/// wording of Kubernetes' <c>labels.Parse</c>, plus the position of the offending token:
/// <code>
/// selector    ::= requirement ( "," requirement )*  |  ""
/// requirement ::= "!" KEY  |  KEY  |  KEY ( "=" | "==" | "!=" ) VALUE?  |  KEY ( "in" | "notin" ) "(" values ")"
/// values      ::= VALUE? ( "," VALUE? )*           (an omitted value is the empty string)
/// </code>
/// <c>in</c> and <c>notin</c> are keywords only where an operator is expected, so they are valid
/// keys and values. Errors inside a requirement are prefixed "unable to parse requirement: ".
/// </summary>
internal sealed class SelectorParser
{
    private const string RequirementPrefix = "unable to parse requirement: ";
    private const string BinaryOperators = "in, notin, =, ==, !=";

    private SelectorLexer _lexer;
    private SelectorToken? _peeked;
    private Error _error;

    private SelectorParser(string text)
    {
        _lexer = new SelectorLexer(text);
    }

    /// <summary>Why and where parsing failed.</summary>
    internal readonly record struct Error(string Message, int Position, string Token);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why and where.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Selector? selector, out Error error)
    {
        var parser = new SelectorParser(text);
        var requirements = new List<Requirement>();
        if (parser.ParseSelector(requirements))
        {
            selector = Selector.Create(requirements);
            error = default;
            return true;
        }

        selector = null;
        error = parser._error;
        return false;
    }

    private bool ParseSelector(List<Requirement> requirements)
    {
        SelectorToken token = Peek(valueContext: true);
        if (token.Kind == SelectorTokenKind.EndOfString)
        {
            return true;
        }

        while (true)
        {
            if (token.Kind is not (SelectorTokenKind.Identifier or SelectorTokenKind.Bang))
            {
                return Expected(token, "!, identifier, or 'end of string'", inRequirement: false);
            }

            if (!ParseRequirement(out Requirement? requirement))
            {
                return false;
            }

            requirements.Add(requirement);
            token = Next(valueContext: true);
            switch (token.Kind)
            {
                case SelectorTokenKind.EndOfString:
                    return true;
                case SelectorTokenKind.Comma:
                    token = Peek(valueContext: true);
                    if (token.Kind is not (SelectorTokenKind.Identifier or SelectorTokenKind.Bang))
                    {
                        return Expected(token, "identifier after ','", inRequirement: false);
                    }

                    break;
                default:
                    return Expected(token, "',' or 'end of string'", inRequirement: false);
            }
        }
    }

    private bool ParseRequirement([NotNullWhen(true)] out Requirement? requirement)
    {
        requirement = null;
        SelectorToken token = Next(valueContext: true);
        bool bang = token.Kind == SelectorTokenKind.Bang;
        if (bang)
        {
            token = Next(valueContext: true);
        }

        if (token.Kind != SelectorTokenKind.Identifier)
        {
            return Expected(token, "identifier");
        }

        string key = token.Text;
        if (Requirement.KeyError(key) is { } keyError)
        {
            return Fail(token, RequirementPrefix + keyError);
        }

        var values = new List<string>(1);
        // "!key" never takes an operator: whatever follows is left for the selector loop to
        // reject ("!a=b" fails at '='), as in Kubernetes.
        if (bang || Peek(valueContext: true).Kind is SelectorTokenKind.EndOfString or SelectorTokenKind.Comma)
        {
            requirement = Requirement.CreateValidated(key, bang ? SelectionOperator.DoesNotExist : SelectionOperator.Exists, values);
            return true;
        }

        token = Next(valueContext: false);
        SelectionOperator op;
        switch (token.Kind)
        {
            case SelectorTokenKind.In:
                op = SelectionOperator.In;
                break;
            case SelectorTokenKind.NotIn:
                op = SelectionOperator.NotIn;
                break;
            case SelectorTokenKind.Equals:
                op = SelectionOperator.Equals;
                break;
            case SelectorTokenKind.DoubleEquals:
                op = SelectionOperator.DoubleEquals;
                break;
            case SelectorTokenKind.NotEquals:
                op = SelectionOperator.NotEquals;
                break;
            default:
                return Expected(token, BinaryOperators);
        }

        bool parsed = op is SelectionOperator.In or SelectionOperator.NotIn
            ? ParseValueSet(key, values)
            : ParseExactValue(key, values);
        if (parsed)
        {
            requirement = Requirement.CreateValidated(key, op, values);
        }

        return parsed;
    }

    // "(" values ")": "()" and omitted values are the empty string, so "in ()" means in ("").
    private bool ParseValueSet(string key, List<string> values)
    {
        SelectorToken token = Next(valueContext: true);
        if (token.Kind != SelectorTokenKind.OpenParen)
        {
            return Expected(token, "'('");
        }

        token = Peek(valueContext: true);
        switch (token.Kind)
        {
            case SelectorTokenKind.CloseParen:
                Next(valueContext: true);
                values.Add("");
                return true;
            case SelectorTokenKind.Identifier or SelectorTokenKind.Comma:
                break;
            default:
                return Expected(token, "',', ')' or identifier");
        }

        while (true)
        {
            token = Next(valueContext: true);
            SelectorToken after;
            switch (token.Kind)
            {
                case SelectorTokenKind.Identifier:
                    if (!AddValue(key, token, values))
                    {
                        return false;
                    }

                    after = Peek(valueContext: true);
                    if (after.Kind == SelectorTokenKind.CloseParen)
                    {
                        Next(valueContext: true);
                        return true;
                    }

                    if (after.Kind != SelectorTokenKind.Comma)
                    {
                        return Expected(after, "',' or ')'");
                    }

                    break;
                case SelectorTokenKind.Comma:
                    after = Peek(valueContext: true);
                    // A comma with no value before it ("(,a" or "a,,b") or after it ("a,)")
                    // stands for the empty value; duplicates are dropped later.
                    if (values.Count == 0 || after.Kind is SelectorTokenKind.Comma or SelectorTokenKind.CloseParen)
                    {
                        values.Add("");
                    }

                    if (after.Kind == SelectorTokenKind.CloseParen)
                    {
                        Next(valueContext: true);
                        return true;
                    }

                    break;
                default:
                    return Expected(token, "',' or identifier");
            }
        }
    }

    // The value of =, == and !=; nothing before ',' or the end is the empty value ("a=").
    private bool ParseExactValue(string key, List<string> values)
    {
        if (Peek(valueContext: true).Kind is SelectorTokenKind.EndOfString or SelectorTokenKind.Comma)
        {
            values.Add("");
            return true;
        }

        SelectorToken token = Next(valueContext: true);
        return token.Kind == SelectorTokenKind.Identifier
            ? AddValue(key, token, values)
            : Expected(token, "identifier");
    }

    private bool AddValue(string key, SelectorToken token, List<string> values)
    {
        if (Requirement.ValueError(key, token.Text) is { } valueError)
        {
            return Fail(token, RequirementPrefix + valueError);
        }

        values.Add(token.Text);
        return true;
    }

    // Where a value is expected, "in" and "notin" are plain identifiers ("a in (in,notin)").
    private SelectorToken Peek(bool valueContext)
    {
        _peeked ??= _lexer.Next();
        SelectorToken token = _peeked.Value;
        return valueContext && token.Kind is SelectorTokenKind.In or SelectorTokenKind.NotIn
            ? token with { Kind = SelectorTokenKind.Identifier }
            : token;
    }

    private SelectorToken Next(bool valueContext)
    {
        SelectorToken token = Peek(valueContext);
        _peeked = null;
        return token;
    }

    private bool Expected(SelectorToken token, string expected, bool inRequirement = true) =>
        Fail(token, $"{(inRequirement ? RequirementPrefix : "")}found '{token.Display}', expected: {expected}");

    private bool Fail(SelectorToken token, string message)
    {
        _error = new Error(
            string.Create(CultureInfo.InvariantCulture, $"{message} at position {token.Position}"),
            token.Position,
            token.Display);
        return false;
    }
}
