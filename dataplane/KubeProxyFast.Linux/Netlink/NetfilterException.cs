namespace KubeProxyFast.Linux.Netlink;

/// <summary>
/// The kernel refused a netfilter request. The message names the operation and the object, e.g.
/// <c>add rule kpf/svc-default/web/http: ENOENT (2)</c>, plus the kernel's own words when it
/// gives some. A refused batch changed nothing: the kernel applies a batch whole or not at all.
/// </summary>
public sealed class NetfilterException : NetlinkException
{
    /// <summary>Creates the exception.</summary>
    public NetfilterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NetfilterException()
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public NetfilterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
