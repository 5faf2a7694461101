namespace KubeProxyFast.Cli.Hosting;

/// <summary>
/// A role cannot start or keep running. The message is for the operator and is printed as it is,
/// without a stack trace: it names what was wrong (a flag, a file, an address) and why.
/// </summary>
internal sealed class RoleException : Exception
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public RoleException(string message)
        : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public RoleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
