namespace KubeProxyFast.Kubelet;

public sealed partial class Kubelet
{
    /// <summary>The agent's directories under <c>--data-dir</c>, as k3s lays them out.</summary>
    internal sealed record KubeletLayout(string DataDirectory)
    {
        /// <summary><c>agent/</c>.</summary>
        public string Agent => Path.Combine(DataDirectory, "agent");

        /// <summary><c>agent/containerd/</c>: the embedded containerd's root, state, socket and log.</summary>
        public string Containerd => Path.Combine(Agent, "containerd");

        /// <summary><c>agent/images/</c>: image archives imported at start.</summary>
        public string Images => Path.Combine(Agent, "images");

        /// <summary><c>agent/etc/cni/net.d/</c>: the CNI configuration containerd reads.</summary>
        public string CniConfig => Path.Combine(Agent, "etc", "cni", "net.d");

        /// <summary><c>agent/pods/</c>: per-pod volumes.</summary>
        public string Pods => Path.Combine(Agent, "pods");

        /// <summary><c>agent/logs/pods/</c>: container logs.</summary>
        public string PodLogs => Path.Combine(Agent, "logs", "pods");

        /// <summary>
        /// <c>agent/pki/</c>: the kubelet's certificates — the CSR-issued <c>kubelet-server.crt</c>/<c>.key</c>
        /// (and client ones) the join writes there (<see cref="Bootstrap.NodeCredentialPaths"/>), or the self-signed <c>kubelet.crt</c>/<c>.key</c>.
        /// </summary>
        public string Pki => Path.Combine(Agent, "pki");

        /// <summary>Every directory, parents first.</summary>
        public IEnumerable<string> All => [Agent, Containerd, Images, CniConfig, Pods, PodLogs];
    }
}
