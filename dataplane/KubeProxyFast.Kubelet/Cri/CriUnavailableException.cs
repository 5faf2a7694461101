namespace KubeProxyFast.Kubelet.Cri;

/// <summary>The container runtime is missing, not answering, or does not speak the CRI version we need.</summary>
public sealed class CriUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CriUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message naming the runtime's socket.</summary>
    public CriUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the gRPC failure behind it.</summary>
    public CriUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }
}
