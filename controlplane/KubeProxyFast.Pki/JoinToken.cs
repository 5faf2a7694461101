using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace KubeProxyFast.Pki;

/// <summary>
/// A node join token in k3s's secure format, <c>K10&lt;CA hash&gt;::&lt;credentials&gt;</c>: the
/// SHA-256 (hex) of the server CA bundle as <c>/cacerts</c> serves it (<see cref="CaHash"/>), which
/// lets the agent authenticate the server before it sends anything, then a bootstrap token
/// <c>&lt;id&gt;.&lt;secret&gt;</c> (<c>[a-z0-9]{6}.[a-z0-9]{16}</c>, as Kubernetes') that
/// authenticates the agent to the server. Error messages and <see cref="ToString"/> never show the secret.
/// </summary>
public sealed record JoinToken
{
    /// <summary>The fixed prefix of the secure format.</summary>
    public const string Prefix = "K10";

    private const string Separator = "::";
    private const int HashLength = 64;
    private const int IdLength = 6;
    private const int SecretLength = 16;
    private const string Shape = "K10<sha256 of the server CA, 64 hex digits>::<token id>.<token secret>";

    private JoinToken(string caHash, string tokenId, string tokenSecret)
    {
        CaHash = caHash;
        TokenId = tokenId;
        TokenSecret = tokenSecret;
    }

    /// <summary>The SHA-256 of the server CA bundle, 64 lowercase hex digits.</summary>
    public string CaHash { get; }

    /// <summary>The bootstrap token's public id (6 of <c>[a-z0-9]</c>): the user is <c>system:bootstrap:&lt;id&gt;</c>.</summary>
    public string TokenId { get; }

    /// <summary>The bootstrap token's secret (16 of <c>[a-z0-9]</c>).</summary>
    public string TokenSecret { get; }

    /// <summary>The bearer token the agent authenticates with until it has a certificate: <c>&lt;id&gt;.&lt;secret&gt;</c>.</summary>
    public string BearerToken => TokenId + "." + TokenSecret;

    /// <summary>A token pinning <paramref name="caBundlePem"/> (the bytes <c>/cacerts</c> serves) with the bootstrap token <paramref name="tokenId"/>.<paramref name="tokenSecret"/>.</summary>
    /// <exception cref="FormatException">The id or secret is not of a bootstrap token's shape.</exception>
    public static JoinToken Create(ReadOnlySpan<byte> caBundlePem, string tokenId, string tokenSecret)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        ArgumentNullException.ThrowIfNull(tokenSecret);
        var problem = CredentialsProblem(tokenId, tokenSecret);
        return problem is null ? new JoinToken(Pki.CaHash.Of(caBundlePem), tokenId, tokenSecret) : throw new FormatException("join token: " + problem);
    }

    /// <summary>Parses <paramref name="text"/> (surrounding whitespace ignored).</summary>
    /// <exception cref="FormatException">The text is not a secure join token; the message says which part is wrong, never the secret.</exception>
    public static JoinToken Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var token, out var problem) ? token : throw new FormatException("join token: " + problem);
    }

    /// <summary>Parses <paramref name="text"/>; false with the reason in <paramref name="problem"/> (which never contains the secret).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out JoinToken? token, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        token = null;
        text = text.Trim();
        if (text.Length == 0)
        {
            problem = $"is empty; expected {Shape}";
            return false;
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            // A bare secret (k3s's short format) would make the agent trust whatever server answers first.
            problem = $"must start with {Prefix} (the secure format {Shape}); a token without the CA hash cannot authenticate the server";
            return false;
        }

        var separator = text.IndexOf(Separator, Prefix.Length, StringComparison.Ordinal);
        if (separator < 0)
        {
            problem = $"has no \"{Separator}\" between the CA hash and the credentials; expected {Shape}";
            return false;
        }

        var hash = text[Prefix.Length..separator];
        if (hash.Length != HashLength || !hash.All(char.IsAsciiHexDigit))
        {
            problem = $"the CA hash after {Prefix} must be {HashLength} hex digits (a SHA-256); found {hash.Length} characters" +
                (hash.All(char.IsAsciiHexDigit) ? "" : " that are not all hex digits");
            return false;
        }

        var credentials = text[(separator + Separator.Length)..];
        var dot = credentials.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || credentials.Contains(':', StringComparison.Ordinal))
        {
            problem = "the credentials after \"::\" must be a bootstrap token <id>.<secret> ([a-z0-9]{6}.[a-z0-9]{16}), not a user name and password";
            return false;
        }

        problem = CredentialsProblem(credentials[..dot], credentials[(dot + 1)..]);
        if (problem is not null)
        {
            return false;
        }

        token = new JoinToken(hash.ToLowerInvariant(), credentials[..dot], credentials[(dot + 1)..]);
        return true;
    }

    /// <summary>Reads a token from a file (k3s's <c>--token-file</c>): its text, surrounding whitespace and newlines ignored.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    /// <exception cref="FormatException">The file does not hold a secure join token.</exception>
    public static JoinToken ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = File.ReadAllText(path);
        return TryParse(text, out var token, out var problem) ? token : throw new FormatException($"join token in {path}: {problem}");
    }

    /// <summary>The token's text, <c>K10&lt;hash&gt;::&lt;id&gt;.&lt;secret&gt;</c>: what <c>kpf server</c> writes and <c>kpf agent --token</c> takes.</summary>
    public string Format() => new StringBuilder(Prefix).Append(CaHash).Append(Separator).Append(BearerToken).ToString();

    /// <summary>The token with its secret masked, for logs and messages.</summary>
    public override string ToString() => $"{Prefix}{CaHash}{Separator}{TokenId}.<secret>";

    /// <summary>What is wrong with a bootstrap token's id and secret, naming the id (public) but never the secret; null when both are well-formed.</summary>
    private static string? CredentialsProblem(string id, string secret)
    {
        if (id.Length != IdLength || !id.All(IsTokenChar))
        {
            return $"the bootstrap token id must be {IdLength} characters of [a-z0-9]" + (id.Length == 0 ? " (it is empty)" : $" (it is \"{id}\")");
        }

        if (secret.Length != SecretLength || !secret.All(IsTokenChar))
        {
            return $"the secret of bootstrap token \"{id}\" must be {SecretLength} characters of [a-z0-9] (it has {secret.Length}" +
                (secret.All(IsTokenChar) ? ")" : ", some of them not in [a-z0-9])");
        }

        return null;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
