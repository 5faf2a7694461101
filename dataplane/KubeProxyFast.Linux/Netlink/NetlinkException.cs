namespace KubeProxyFast.Linux.Netlink;

/// <summary>
/// The kernel refused a netlink request. The message names the operation and its object, then the
/// errno, e.g. <c>RTM_NEWLINK veth0: File exists (EEXIST)</c>, plus the kernel's own words
/// (extended ack) when it gives some.
/// </summary>
public class NetlinkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NetlinkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NetlinkException()
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The errno the kernel answered (0 when not a kernel refusal).</summary>
    public int Errno { get; init; }

    /// <summary>
    /// The refusal of <paramref name="operation"/> on <paramref name="target"/> with
    /// <paramref name="errno"/>, e.g. <c>RTM_DELLINK nope0: No such device (ENODEV)</c>.
    /// </summary>
    public static NetlinkException Refused(string operation, string target, int errno, string? kernelMessage) =>
        new($"{operation} {target}: {Interop.Errno.Describe(errno)}{(string.IsNullOrEmpty(kernelMessage) ? "" : "; " + kernelMessage)}")
        {
            Errno = errno,
        };
}
