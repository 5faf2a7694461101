namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// A <c>--token-auth-file</c> that cannot be used: the message names the file and the line. An
/// <see cref="IOException"/>, so a server that cannot start says why instead of crashing.
/// </summary>
public sealed class TokenFileException : IOException
{
    /// <summary>The error at <paramref name="line"/> of <paramref name="path"/>.</summary>
    public TokenFileException(string path, int line, string reason)
        : base($"token file '{path}' line {line}: {reason}")
    {
        Path = path;
        Line = line;
    }

    /// <summary>The token file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line of the error.</summary>
    public int Line { get; }
}
