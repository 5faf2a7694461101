namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>The proxy could not start: its first configuration could not be served, or the metrics address not bound.</summary>
public sealed class ProxyStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProxyStartException()
        : base("the proxy could not start")
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public ProxyStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and its cause.</summary>
    public ProxyStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
