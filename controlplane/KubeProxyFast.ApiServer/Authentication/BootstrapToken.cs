using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// A Kubernetes bootstrap token, <c>&lt;id&gt;.&lt;secret&gt;</c> (k8s.io/cluster-bootstrap
/// <c>BootstrapTokenPattern</c>: a 6-character public id and a 16-character secret, both
/// <c>[a-z0-9]</c>). The id names the Secret that holds it (<see cref="BootstrapTokenSecret"/>);
/// the secret is the credential. <see cref="ToString"/> never shows the secret, so a token can be logged.
/// </summary>
public sealed record BootstrapToken
{
    /// <summary>The length of the public id.</summary>
    public const int IdLength = 6;

    /// <summary>The length of the secret.</summary>
    public const int SecretLength = 16;

    // Kubernetes' token alphabet (cluster-bootstrap util validBootstrapTokenChars).
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    private BootstrapToken(string id, string secret)
    {
        Id = id;
        Secret = secret;
    }

    /// <summary>The public id (<c>[a-z0-9]{6}</c>): the Secret is <c>bootstrap-token-&lt;id&gt;</c>, the user <c>system:bootstrap:&lt;id&gt;</c>.</summary>
    public string Id { get; }

    /// <summary>The secret part (<c>[a-z0-9]{16}</c>).</summary>
    public string Secret { get; }

    /// <summary>The bearer token as sent: <c>&lt;id&gt;.&lt;secret&gt;</c>.</summary>
    public string Value => Id + "." + Secret;

    /// <summary>A new token from the system's cryptographic random generator.</summary>
    public static BootstrapToken Generate() =>
        new(RandomNumberGenerator.GetString(Alphabet, IdLength), RandomNumberGenerator.GetString(Alphabet, SecretLength));

    /// <summary>The token <paramref name="text"/> holds, when it has exactly the bootstrap-token shape.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out BootstrapToken? token)
    {
        token = null;
        if (text is null || text.Length != IdLength + 1 + SecretLength || text[IdLength] != '.')
        {
            return false;
        }

        var id = text.AsSpan(0, IdLength);
        var secret = text.AsSpan(IdLength + 1);
        if (!IsTokenText(id) || !IsTokenText(secret))
        {
            return false;
        }

        token = new BootstrapToken(id.ToString(), secret.ToString());
        return true;
    }

    /// <summary>The token <paramref name="text"/> holds.</summary>
    /// <exception cref="FormatException">It is not <c>[a-z0-9]{6}.[a-z0-9]{16}</c>.</exception>
    public static BootstrapToken Parse(string text) =>
        TryParse(text, out var token)
            ? token
            : throw new FormatException($"a bootstrap token has the form [a-z0-9]{{{IdLength}}}.[a-z0-9]{{{SecretLength}}}; got {text.Length} characters that do not match");

    /// <summary>True when <paramref name="id"/> is a valid token id (<c>[a-z0-9]{6}</c>).</summary>
    public static bool IsValidId(string? id) => id is { Length: IdLength } && IsTokenText(id);

    /// <summary>The id only: the secret must not reach logs.</summary>
    public override string ToString() => $"bootstrap token {Id}";

    private static bool IsTokenText(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'z')))
            {
                return false;
            }
        }

        return true;
    }
}
