using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Kubelet;

/// <summary>
/// What a kubelet is told at start (the <c>kpf kubelet</c> / <c>kpf agent</c> flags). Defaults are
/// Kubernetes' and k3s's.
/// </summary>
public sealed record KubeletOptions
{
    /// <summary>The Node's name (<c>--node-name</c>); the host name, lower-cased, by default.</summary>
    public string NodeName { get; init; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>
    /// Root of the agent's state (<c>--data-dir</c>): <c>agent/containerd/</c>, <c>agent/images/</c>,
    /// <c>agent/etc/cni/</c>, <c>agent/pods/&lt;uid&gt;/volumes/</c>, <c>agent/logs/</c>.
    /// </summary>
    public string DataDirectory { get; init; } = "/var/lib/kpf";

    /// <summary>A running CRI runtime to use (<c>--container-runtime-endpoint</c>); null starts the embedded containerd.</summary>
    public string? ContainerRuntimeEndpoint { get; init; }

    /// <summary>containerd binary for the embedded runtime.</summary>
    public string ContainerdPath { get; init; } = "containerd";

    /// <summary>Registry mirrors and plain-HTTP registries (<c>--registry-config</c>, k3s's registries.yaml).</summary>
    public string? RegistryConfigPath { get; init; }

    /// <summary>The sandbox (pause) image; null uses the one the kubelet builds from busybox-static and imports.</summary>
    public string? PodInfraContainerImage { get; init; }

    /// <summary>Where the CNI plugins are (<c>--cni-bin-dir</c>).</summary>
    public string CniBinDirectory { get; init; } = "/usr/lib/cni";

    /// <summary>The cluster's pod range (<c>--cluster-cidr</c>): pod traffic leaving it is masqueraded.</summary>
    public string ClusterCidr { get; init; } = "10.42.0.0/16";

    /// <summary>Cluster DNS servers written into ClusterFirst pods' resolv.conf (<c>--cluster-dns</c>).</summary>
    public IReadOnlyList<string> ClusterDns { get; init; } = ["10.43.0.10"];

    /// <summary>The cluster's DNS domain (<c>--cluster-domain</c>).</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The node's resolv.conf, for dnsPolicy Default (<c>--resolv-conf</c>).</summary>
    public string ResolvConf { get; init; } = "/etc/resolv.conf";

    /// <summary>InternalIP of the node (<c>--node-ip</c>); the address of the default route's interface when null.</summary>
    public string? NodeIp { get; init; }

    /// <summary>Taints the Node registers with (<c>--register-with-taints</c>, <c>key=value:Effect</c>).</summary>
    public IReadOnlyList<string> RegisterWithTaints { get; init; } = [];

    /// <summary>Extra labels for the Node (<c>--node-labels</c>).</summary>
    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Resources kept for the system, subtracted from capacity (<c>--system-reserved</c>).</summary>
    public IReadOnlyDictionary<string, Quantity> SystemReserved { get; init; } = new Dictionary<string, Quantity>();

    /// <summary>Most pods the node runs (<c>--max-pods</c>).</summary>
    public int MaxPods { get; init; } = 110;

    /// <summary>How often the Node's status is posted (<c>--node-status-update-frequency</c>).</summary>
    public TimeSpan NodeStatusUpdateFrequency { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the node's Lease is renewed.</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the Lease holds (<c>--node-lease-duration-seconds</c>).</summary>
    public int NodeLeaseDurationSeconds { get; init; } = 40;

    /// <summary>How often every pod is synced again even without a change (<c>--sync-frequency</c>).</summary>
    public TimeSpan SyncFrequency { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The kubelet's API on <c>:10250</c> (<c>--port</c>, <c>--address</c>, <c>--tls-*</c>, webhook
    /// authentication and authorization); null serves none (the flags always set it).
    /// </summary>
    public Server.KubeletServerOptions? Server { get; init; }

    /// <summary>Cgroup under which pods' cgroups are made (cgroupfs driver).</summary>
    public string CgroupRoot { get; init; } = "/kubepods";
}
