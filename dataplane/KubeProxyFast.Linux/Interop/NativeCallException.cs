namespace KubeProxyFast.Linux.Interop;

/// <summary>
/// A system call failed. The message names the call and the object it was made on, e.g.
/// <c>bind 198.18.0.10:80: EADDRINUSE (98)</c>, so a log line says what to fix.
/// </summary>
public sealed class NativeCallException : IOException
{
    /// <summary>Creates the exception for <paramref name="errno"/>.</summary>
    public NativeCallException(string operation, string target, int errno)
        : base($"{operation} {target}: {Interop.Errno.Name(errno)} ({errno})")
    {
        Operation = operation;
        Target = target;
        Errno = errno;
    }

    /// <summary>Creates the exception with a message.</summary>
    public NativeCallException()
        : this("syscall", "", 0)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NativeCallException(string message)
        : base(message)
    {
        Operation = "";
        Target = "";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public NativeCallException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "";
        Target = "";
    }

    /// <summary>The system call, e.g. <c>bind</c>.</summary>
    public string Operation { get; }

    /// <summary>What it was called on, e.g. an address.</summary>
    public string Target { get; }

    /// <summary>The errno value.</summary>
    public int Errno { get; }
}
