namespace KubeProxyFast.Kubelet;

/// <summary>The kubelet cannot start; the message says why for the operator (the runtime, directory or flag at fault).</summary>
public sealed class KubeletStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KubeletStartException()
    {
    }

    /// <summary>Creates the exception with a message for the operator.</summary>
    public KubeletStartException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure behind it.</summary>
    public KubeletStartException(string message, Exception inner) : base(message, inner)
    {
    }
}
