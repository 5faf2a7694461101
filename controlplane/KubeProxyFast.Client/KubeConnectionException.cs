namespace KubeProxyFast.Client;

/// <summary>The apiserver could not be reached, or the connection broke before an answer was complete.</summary>
public sealed class KubeConnectionException : Exception
{
    /// <summary>Creates the exception for a request to <paramref name="uri"/>.</summary>
    public KubeConnectionException(string method, Uri uri, Exception innerException)
        : base($"{method} {uri} failed: {innerException?.Message}", innerException)
    {
        Method = method;
        Uri = uri;
    }

    /// <summary>Creates the exception with a message.</summary>
    public KubeConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Method = "";
    }

    /// <summary>Creates the exception with a message.</summary>
    public KubeConnectionException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with no details.</summary>
    public KubeConnectionException()
        : this("the apiserver could not be reached")
    {
    }

    /// <summary>The HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>The URL of the failed request, when known.</summary>
    public Uri? Uri { get; }
}
