using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>An RFC 6901 JSON pointer: <c>""</c> is the whole document, <c>/a/0/b~1c</c> a path.</summary>
internal sealed class JsonPointer
{
    /// <summary>The token that means "one past the last element" when adding to an array.</summary>
    public const string EndOfArray = "-";

    private JsonPointer(string text, string[] tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    /// <summary>The pointer as written.</summary>
    public string Text { get; }

    /// <summary>The reference tokens, unescaped.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>True for <c>""</c>, the whole document.</summary>
    public bool IsRoot => Tokens.Count == 0;

    /// <summary>The last token; only for a pointer that is not the root.</summary>
    public string Last => Tokens[^1];

    /// <summary>Parses <paramref name="text"/>; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out JsonPointer? pointer, [NotNullWhen(false)] out string? error)
    {
        pointer = null;
        if (text.Length == 0)
        {
            pointer = new JsonPointer(text, []);
            error = null;
            return true;
        }

        if (text[0] != '/')
        {
            error = "invalid JSON pointer: it must be empty or start with \"/\"";
            return false;
        }

        var tokens = text[1..].Split('/');
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!TryUnescape(tokens[i], out var token))
            {
                error = $"invalid JSON pointer: \"{tokens[i]}\" has a \"~\" that is not ~0 (for ~) or ~1 (for /)";
                return false;
            }

            tokens[i] = token;
        }

        pointer = new JsonPointer(text, tokens);
        error = null;
        return true;
    }

    /// <summary>
    /// An array index token: <c>0</c> or digits without a leading zero (RFC 6901 §4), no sign,
    /// no <c>-</c>.
    /// </summary>
    public static bool TryParseIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0'))
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    /// <summary>The pointer to the container of this one's target; only for a pointer that is not the root.</summary>
    public JsonPointer Parent()
    {
        var cut = Text.LastIndexOf('/');
        return new JsonPointer(Text[..cut], Tokens.Take(Tokens.Count - 1).ToArray());
    }

    /// <summary>True when <paramref name="other"/> lies strictly inside this pointer's target.</summary>
    public bool IsProperPrefixOf(JsonPointer other) =>
        other.Tokens.Count > Tokens.Count && Tokens.SequenceEqual(other.Tokens.Take(Tokens.Count), StringComparer.Ordinal);

    /// <summary>
    /// Finds the target in <paramref name="root"/>. True when it exists; <paramref name="value"/>
    /// is then the value, which may be JSON null.
    /// </summary>
    public bool TryFind(JsonNode? root, out JsonNode? value)
    {
        value = root;
        foreach (var token in Tokens)
        {
            switch (value)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var member):
                    value = member;
                    break;
                case JsonArray array when TryParseIndex(token, out var index) && index < array.Count:
                    value = array[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static bool TryUnescape(string token, out string unescaped)
    {
        unescaped = token;
        if (!token.Contains('~', StringComparison.Ordinal))
        {
            return true;
        }

        var builder = new System.Text.StringBuilder(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] != '~')
            {
                builder.Append(token[i]);
                continue;
            }

            // One pass, left to right, so "~01" is "~1" and never "/" (RFC 6901 §4).
            var next = i + 1 < token.Length ? token[i + 1] : '\0';
            if (next is not ('0' or '1'))
            {
                return false;
            }

            builder.Append(next == '0' ? '~' : '/');
            i++;
        }

        unescaped = builder.ToString();
        return true;
    }
}
