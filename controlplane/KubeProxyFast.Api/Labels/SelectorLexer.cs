namespace KubeProxyFast.Api.Labels;

/// <summary>The kinds of token of the selector query-string syntax.</summary>
internal enum SelectorTokenKind
{
    EndOfString,
    Identifier,
    In,
    NotIn,
    Bang,
    Equals,
    DoubleEquals,
    NotEquals,
    OpenParen,
    CloseParen,
    Comma,

    // Kubernetes also lexes '>' and '<' (numeric Gt/Lt). They are tokens here only so that
    // "x>1" is reported as an unsupported operator rather than as an invalid key.
    GreaterThan,
    LessThan,
}

/// <summary>A token with its 0-based start offset in the input and its text as written.</summary>
internal readonly record struct SelectorToken(SelectorTokenKind Kind, int Position, string Text)
{
    /// <summary>How the token is named in error messages.</summary>
    public string Display => Kind == SelectorTokenKind.EndOfString ? "end of string" : Text;
}

/// <summary>
/// Splits selector text into tokens, as Kubernetes' <c>labels.Lexer</c>: blanks separate tokens,
/// the symbols <c>! = == != ( ) , &gt; &lt;</c> are tokens of their own, and every other run of
/// characters is an identifier (or the keyword <c>in</c>/<c>notin</c>; whether a keyword is
/// read as one depends on where it appears, which the parser decides).
/// </summary>
internal struct SelectorLexer(string input)
{
    private readonly string _input = input;
    private int _pos;

    /// <summary>Reads the next token; at the end, returns <see cref="SelectorTokenKind.EndOfString"/> forever.</summary>
    public SelectorToken Next()
    {
        string s = _input;
        while (_pos < s.Length && IsBlank(s[_pos]))
        {
            _pos++;
        }

        int start = _pos;
        if (start == s.Length)
        {
            return new SelectorToken(SelectorTokenKind.EndOfString, start, "");
        }

        char c = s[start];
        bool nextIsEquals = start + 1 < s.Length && s[start + 1] == '=';
        (SelectorTokenKind kind, int length) = c switch
        {
            '!' when nextIsEquals => (SelectorTokenKind.NotEquals, 2),
            '!' => (SelectorTokenKind.Bang, 1),
            '=' when nextIsEquals => (SelectorTokenKind.DoubleEquals, 2),
            '=' => (SelectorTokenKind.Equals, 1),
            '(' => (SelectorTokenKind.OpenParen, 1),
            ')' => (SelectorTokenKind.CloseParen, 1),
            ',' => (SelectorTokenKind.Comma, 1),
            '>' => (SelectorTokenKind.GreaterThan, 1),
            '<' => (SelectorTokenKind.LessThan, 1),
            _ => (SelectorTokenKind.Identifier, IdentifierLength(s, start)),
        };

        _pos = start + length;
        string text = s.Substring(start, length);
        if (kind == SelectorTokenKind.Identifier)
        {
            kind = text switch
            {
                "in" => SelectorTokenKind.In,
                "notin" => SelectorTokenKind.NotIn,
                _ => SelectorTokenKind.Identifier,
            };
        }

        return new SelectorToken(kind, start, text);
    }

    private static int IdentifierLength(string s, int start)
    {
        int end = start;
        while (end < s.Length && !IsBlank(s[end]) && !IsSymbol(s[end]))
        {
            end++;
        }

        return end - start;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSymbol(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
}
