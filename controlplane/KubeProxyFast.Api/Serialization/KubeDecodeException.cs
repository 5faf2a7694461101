namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// A document could not be decoded into an API object. <see cref="Field"/> is the field path
/// (<c>spec.ports[0].port</c>) when the problem is in a field, empty when the document itself is
/// malformed; the message always says what was wrong and where.
/// </summary>
public sealed class KubeDecodeException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public KubeDecodeException(string field, string detail, Exception? inner = null)
        : base(field.Length == 0 ? detail : $"{field}: {detail}", inner)
    {
        Field = field;
        Detail = detail;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public KubeDecodeException()
        : this("", "the document could not be decoded")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public KubeDecodeException(string message)
        : this("", message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public KubeDecodeException(string message, Exception inner)
        : this("", message, inner)
    {
    }

    /// <summary>The path of the offending field, or empty.</summary>
    public string Field { get; }

    /// <summary>What was wrong, without the field path.</summary>
    public string Detail { get; }
}
