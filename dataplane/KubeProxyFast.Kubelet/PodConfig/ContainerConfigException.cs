namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// A container cannot be configured from its pod as written (a missing ConfigMap key, a bad
/// fieldRef, a hostPath of the wrong type): the container waits as <c>CreateContainerConfigError</c>
/// with this message, and the pod worker tries again on its next sync.
/// </summary>
public sealed class ContainerConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ContainerConfigException()
    {
    }

    /// <summary>Creates the exception with the message the status shows.</summary>
    public ContainerConfigException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with the message the status shows and its cause.</summary>
    public ContainerConfigException(string message, Exception inner) : base(message, inner)
    {
    }
}
