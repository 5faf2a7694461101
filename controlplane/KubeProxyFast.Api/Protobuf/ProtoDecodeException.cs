namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// A body that cannot be transcoded: protobuf that is truncated, has a wrong wire type, is nested
/// too deep or too large, or holds a value with no JSON form; or JSON that does not fit the
/// message. The message names what and where.
/// </summary>
public sealed class ProtoDecodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProtoDecodeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ProtoDecodeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ProtoDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
