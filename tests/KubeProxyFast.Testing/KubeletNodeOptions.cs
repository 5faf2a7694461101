namespace KubeProxyFast.Testing;

/// <summary>How a <see cref="KubeletNode"/> is made. Every address is in 198.18.0.0/15.</summary>
public sealed record KubeletNodeOptions
{
    /// <summary>The Node's name (<c>--node-name</c>).</summary>
    public string NodeName { get; init; } = "node-a";

    /// <summary>The node's address on the switch (<c>--node-ip</c>, its InternalIP).</summary>
    public string Address { get; init; } = "198.18.0.11";

    /// <summary>The cluster's pod range (<c>--cluster-cidr</c> of the server's node IPAM and of the kubelet).</summary>
    public string ClusterCidr { get; init; } = "198.18.128.0/17";

    /// <summary>The Services' range (the server's <c>--service-cluster-ip-range</c>).</summary>
    public string ServiceCidr { get; init; } = "198.19.0.0/16";

    /// <summary>The DNS server ClusterFirst pods are given (<c>--cluster-dns</c>).</summary>
    public string ClusterDns { get; init; } = "198.19.0.10";

    /// <summary>The cluster's DNS domain (<c>--cluster-domain</c>).</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>Image archives (OCI layout or docker-archive tars) copied into <c>&lt;data-dir&gt;/agent/images/</c> before the kubelet starts.</summary>
    public IReadOnlyList<string> ImageArchives { get; init; } = [];

    /// <summary>The text of <c>--registry-config</c> (k3s' registries.yaml); none when null.</summary>
    public string? RegistryConfig { get; init; }

    /// <summary>More <c>kpf kubelet</c> flags.</summary>
    public IReadOnlyList<string> KubeletArgs { get; init; } = [];

    /// <summary>More <c>kpf server</c> flags (when the node runs its own server).</summary>
    public IReadOnlyList<string> ServerArgs { get; init; } = [];

    /// <summary>Whether to start the kubelet (false: the server alone, for a test of the harness itself).</summary>
    public bool StartKubelet { get; init; } = true;
}
