namespace KubeProxyFast.Controllers.NodeIpam;

/// <summary>
/// Settings of the node IPAM controller, as kube-controller-manager's flags (<c>--cluster-cidr</c>,
/// <c>--node-cidr-mask-size</c>, <c>--service-cluster-ip-range</c>); validated when the controller is built.
/// </summary>
public sealed record NodeIpamOptions
{
    /// <summary>
    /// The range node pod CIDRs are cut from (<c>--cluster-cidr</c>), an IPv4 CIDR; k3s's
    /// <c>10.42.0.0/16</c> by default, so that a manager built with default options runs every controller.
    /// </summary>
    public string ClusterCidr { get; init; } = DefaultClusterCidr;

    /// <summary>k3s's default cluster CIDR.</summary>
    public const string DefaultClusterCidr = "10.42.0.0/16";

    /// <summary>The prefix length of each node's pod CIDR (<c>--node-cidr-mask-size</c>, 24 for IPv4 as Kubernetes).</summary>
    public int NodeCidrMaskSize { get; init; } = 24;

    /// <summary>The service cluster IP range; the node subnets overlapping it are never handed out (as Kubernetes). None when null or empty.</summary>
    public string? ServiceCidr { get; init; }

    /// <summary>Workers patching nodes at once (Kubernetes runs 30 <c>cidrUpdateWorkers</c>); the allocation itself is serialised.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>The options' errors (a bad <c>--cluster-cidr</c>, mask size or service range), in words that name the flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        try
        {
            CreateAllocator();
            return [];
        }
        catch (ArgumentException e)
        {
            return [e.Message];
        }
    }

    /// <summary>The allocator over the cluster CIDR, the service range excluded.</summary>
    /// <exception cref="ArgumentException">An option is not valid (the message names it).</exception>
    internal NodeCidrAllocator CreateAllocator()
    {
        var allocator = new NodeCidrAllocator(CidrSet.Create(CidrText.ParseClusterCidr(ClusterCidr), NodeCidrMaskSize));
        foreach (var service in CidrText.ParseServiceCidrs(ServiceCidr))
        {
            allocator.Exclude(service);
        }

        return allocator;
    }
}
