namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>The agent cannot join: the message says why for the operator (the server, the hash, the CSR at fault).</summary>
public sealed class NodeBootstrapException : Exception
{
    /// <summary>A failure explained by <paramref name="message"/>.</summary>
    public NodeBootstrapException(string message)
        : base(message)
    {
    }

    /// <summary>A failure explained by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public NodeBootstrapException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
