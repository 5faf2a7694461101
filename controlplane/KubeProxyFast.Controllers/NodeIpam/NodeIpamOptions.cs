namespace KubeProxyFast.Controllers.NodeIpam;

/// <summary>
/// Settings of the node IPAM controller, as kube-controller-manager's flags (<c>--cluster-cidr</c>,
/// <c>--node-cidr-mask-size</c>, <c>--service-cluster-ip-range</c>); validated when the controller is built.
/// </summary>
public sealed record NodeIpamOptions
{
    /// <summary>The range node pod CIDRs are cut from (<c>--cluster-cidr</c>), an IPv4 CIDR such as <c>10.42.0.0/16</c>.</summary>
    public string ClusterCidr { get; init; } = "";

    /// <summary>The prefix length of each node's pod CIDR (<c>--node-cidr-mask-size</c>, 24 for IPv4 as Kubernetes).</summary>
    public int NodeCidrMaskSize { get; init; } = 24;

    /// <summary>The service cluster IP range; the node subnets overlapping it are never handed out (as Kubernetes). None when null or empty.</summary>
    public string? ServiceCidr { get; init; }

    /// <summary>Workers patching nodes at once (Kubernetes runs 30 <c>cidrUpdateWorkers</c>); the allocation itself is serialised.</summary>
    public int Workers { get; init; } = 4;
}
