namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>
/// Where a joined agent keeps its credentials, under <c>&lt;data-dir&gt;/agent</c> (as k3s keeps
/// them under its agent directory): the pinned server CA exactly as <c>/cacerts</c> served it,
/// the CSR-issued client and serving certificates with their keys, and the kubeconfig naming them
/// as files (so clients reload them after a rotation).
/// </summary>
public sealed record NodeCredentialPaths
{
    /// <summary>The paths under the agent directory <paramref name="agentDirectory"/>.</summary>
    public NodeCredentialPaths(string agentDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentDirectory);
        AgentDirectory = Path.GetFullPath(agentDirectory);
        var pki = Path.Combine(AgentDirectory, "pki");
        ServerCa = Path.Combine(pki, "server-ca.crt");
        ClientCertificate = Path.Combine(pki, "kubelet-client.crt");
        ClientKey = Path.Combine(pki, "kubelet-client.key");
        ServingCertificate = Path.Combine(pki, "kubelet-server.crt");
        ServingKey = Path.Combine(pki, "kubelet-server.key");
        Kubeconfig = Path.Combine(AgentDirectory, "kubelet.kubeconfig");
    }

    /// <summary>The paths of the kubelet whose <c>--data-dir</c> is <paramref name="dataDirectory"/>.</summary>
    public static NodeCredentialPaths ForDataDirectory(string dataDirectory) => new(Path.Combine(dataDirectory, "agent"));

    /// <summary><c>&lt;data-dir&gt;/agent</c>.</summary>
    public string AgentDirectory { get; }

    /// <summary><c>pki/server-ca.crt</c>: the server CA bundle whose SHA-256 the join token pins.</summary>
    public string ServerCa { get; }

    /// <summary><c>pki/kubelet-client.crt</c>: <c>system:node:&lt;name&gt;</c> in <c>system:nodes</c>.</summary>
    public string ClientCertificate { get; }

    /// <summary><c>pki/kubelet-client.key</c>.</summary>
    public string ClientKey { get; }

    /// <summary><c>pki/kubelet-server.crt</c>: the kubelet's serving certificate (signer <c>kubernetes.io/kubelet-serving</c>).</summary>
    public string ServingCertificate { get; }

    /// <summary><c>pki/kubelet-server.key</c>.</summary>
    public string ServingKey { get; }

    /// <summary><c>kubelet.kubeconfig</c>: the server, the pinned CA and the client certificate, as files.</summary>
    public string Kubeconfig { get; }
}
