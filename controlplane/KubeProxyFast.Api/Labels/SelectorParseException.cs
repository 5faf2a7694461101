namespace KubeProxyFast.Api.Labels;

/// <summary>
/// A label selector string could not be parsed. The message has Kubernetes' shape
/// (<c>found '(', expected: identifier</c>) and always ends with the 0-based character position
/// of the offending token, which <see cref="Position"/> and <see cref="Token"/> also carry.
/// </summary>
public sealed class SelectorParseException : FormatException
{
    /// <summary>Creates the exception for a token at a position of the input.</summary>
    /// <param name="message">The full message, position included.</param>
    /// <param name="position">0-based character offset of the offending token in the input.</param>
    /// <param name="token">The offending token as written, or <c>end of string</c>.</param>
    public SelectorParseException(string message, int position, string token)
        : base(message)
    {
        Position = position;
        Token = token;
    }

    /// <summary>0-based character offset of the offending token in the input.</summary>
    public int Position { get; }

    /// <summary>The offending token as written in the input, or <c>end of string</c> when the input ended early.</summary>
    public string Token { get; }
}
