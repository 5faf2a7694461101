using System.CommandLine;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Controllers;
using KubeProxyFast.Controllers.NodeIpam;
using KubeProxyFast.Controllers.NodeLifecycle;

namespace KubeProxyFast.Cli.Roles.ControllerManager;

/// <summary>
/// kube-controller-manager's flags of the node lifecycle and node IPAM controllers. Node IPAM runs
/// when <c>--allocate-node-cidrs</c> is true, which is the default here with <c>--cluster-cidr
/// 10.42.0.0/16</c>, as k3s (kube-controller-manager's own defaults are false and empty): a kpf
/// cluster is a whole cluster, whose nodes need a pod range each for their pods' addresses.
/// The service range is excluded from allocation: in <c>kpf server</c> the apiserver's
/// <c>--service-cluster-ip-range</c>, alone the controller manager's flag of that name.
/// </summary>
internal sealed class NodeControllerFlags
{
    /// <summary>k3s' default cluster CIDR.</summary>
    public const string DefaultClusterCidr = NodeIpamOptions.DefaultClusterCidr;

    private static readonly NodeLifecycleOptions LifecycleDefaults = new();
    private static readonly NodeIpamOptions IpamDefaults = new();

    // Alone, this role's own flag; in kpf server, the apiserver role's flag of the same name.
    private readonly Option<string> _serviceRange;
    private readonly bool _ownsServiceRange;

    private readonly Option<TimeSpan?> _monitorPeriod = FlagParts.Duration("--node-monitor-period",
        "How often the node lifecycle controller checks each node's health", LifecycleDefaults.NodeMonitorPeriod, allowZero: false);

    private readonly Option<TimeSpan?> _monitorGracePeriod = FlagParts.Duration("--node-monitor-grace-period",
        "How long a node may go without renewing its Lease or posting status before it is marked Unknown", LifecycleDefaults.NodeMonitorGracePeriod, allowZero: false);

    private readonly Option<TimeSpan?> _startupGracePeriod = FlagParts.Duration("--node-startup-grace-period",
        "How long a node that never posted status has before it is marked Unknown", LifecycleDefaults.NodeStartupGracePeriod, allowZero: false);

    private readonly Option<TimeSpan?> _podEvictionTimeout = FlagParts.Duration("--pod-eviction-timeout",
        "How long a node is unhealthy before its pods are deleted", LifecycleDefaults.PodEvictionTimeout, allowZero: true);

    private readonly Option<double?> _evictionRate = new("--node-eviction-rate")
    {
        Description = $"Nodes per second whose pods are deleted when a zone is healthy [default: {LifecycleDefaults.NodeEvictionRate}]",
        HelpName = "rate",
    };

    private readonly Option<double?> _secondaryEvictionRate = new("--secondary-node-eviction-rate")
    {
        Description = $"Nodes per second whose pods are deleted when a zone of a large cluster is partly unhealthy [default: {LifecycleDefaults.SecondaryNodeEvictionRate}]",
        HelpName = "rate",
    };

    private readonly Option<double?> _unhealthyZoneThreshold = new("--unhealthy-zone-threshold")
    {
        Description = $"Share of not-ready nodes (at least 3) that makes a zone unhealthy [default: {LifecycleDefaults.UnhealthyZoneThreshold}]",
        HelpName = "fraction",
    };

    private readonly Option<int?> _largeClusterSize = new("--large-cluster-size-threshold")
    {
        Description = $"Nodes above which a zone is large: a partly unhealthy large zone evicts at the secondary rate, a small one not at all [default: {LifecycleDefaults.LargeClusterSizeThreshold}]",
        HelpName = "nodes",
    };

    private readonly Option<bool> _allocateNodeCidrs = new("--allocate-node-cidrs")
    {
        Description = "Give each node a pod CIDR from --cluster-cidr (the nodeipam controller runs only then) [default: true, as k3s]",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<string> _clusterCidr = new("--cluster-cidr")
    {
        Description = "IPv4 CIDR that nodes' pod CIDRs are cut from",
        HelpName = "cidr",
        DefaultValueFactory = _ => DefaultClusterCidr,
    };

    private readonly Option<int?> _nodeCidrMaskSize = new("--node-cidr-mask-size")
    {
        Description = $"Prefix length of each node's pod CIDR [default: {IpamDefaults.NodeCidrMaskSize}]",
        HelpName = "bits",
    };

    /// <param name="serviceRange">In <c>kpf server</c>, the apiserver's <c>--service-cluster-ip-range</c>; null for <c>kpf controller-manager</c>, which has its own.</param>
    public NodeControllerFlags(Option<string>? serviceRange)
    {
        _ownsServiceRange = serviceRange is null;
        _serviceRange = serviceRange ?? new Option<string>("--service-cluster-ip-range")
        {
            Description = "The service cluster IP range, never handed out as a node's pod CIDR [default: none]",
            HelpName = "cidr",
        };
    }

    /// <summary>Adds the flags, and a validator that reports bad values (in the controllers' words) at parse time.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_monitorPeriod);
        command.Options.Add(_monitorGracePeriod);
        command.Options.Add(_startupGracePeriod);
        command.Options.Add(_podEvictionTimeout);
        command.Options.Add(_evictionRate);
        command.Options.Add(_secondaryEvictionRate);
        command.Options.Add(_unhealthyZoneThreshold);
        command.Options.Add(_largeClusterSize);
        command.Options.Add(_allocateNodeCidrs);
        command.Options.Add(_clusterCidr);
        command.Options.Add(_nodeCidrMaskSize);
        if (_ownsServiceRange)
        {
            command.Options.Add(_serviceRange);
        }

        command.Validators.Add(result =>
        {
            List<string> errors;
            try
            {
                var values = new Values(result.GetValue, result.GetValue, result.GetValue, result.GetValue);
                errors = [.. Lifecycle(values).Validate()];
                // An option left out has no result here yet (its default is applied later): true, as its default.
                if (result.GetResult(_allocateNodeCidrs) is null || result.GetValue(_allocateNodeCidrs))
                {
                    // In kpf server the apiserver reports a bad --service-cluster-ip-range, in its own words, once.
                    var ipam = _ownsServiceRange ? Ipam(values) : Ipam(values) with { ServiceCidr = null };
                    errors.AddRange(ipam.Validate());
                }
            }
            catch (InvalidOperationException)
            {
                // A value that did not parse: its own error is reported already.
                return;
            }

            foreach (var error in errors)
            {
                result.AddError(error);
            }
        });
    }

    /// <summary>
    /// <paramref name="options"/> with the node controllers' options from the flags; with
    /// <c>--allocate-node-cidrs=false</c> nodeipam is disabled whatever <c>--controllers</c> says, as Kubernetes.
    /// </summary>
    public ControllerManagerOptions Apply(ParseResult parse, ControllerManagerOptions options)
    {
        var values = new Values(parse.GetValue, parse.GetValue, parse.GetValue, parse.GetValue);
        return options with
        {
            NodeLifecycle = Lifecycle(values),
            NodeIpam = Ipam(values),
            Controllers = parse.GetValue(_allocateNodeCidrs) || !KnownControllers.All.Any(c => c.Name == NodeIpamController.ControllerName)
                ? options.Controllers
                : ["-" + NodeIpamController.ControllerName, .. options.Controllers],
        };
    }

    private NodeLifecycleOptions Lifecycle(Values values) => LifecycleDefaults with
    {
        NodeMonitorPeriod = values.Duration(_monitorPeriod) ?? LifecycleDefaults.NodeMonitorPeriod,
        NodeMonitorGracePeriod = values.Duration(_monitorGracePeriod) ?? LifecycleDefaults.NodeMonitorGracePeriod,
        NodeStartupGracePeriod = values.Duration(_startupGracePeriod) ?? LifecycleDefaults.NodeStartupGracePeriod,
        PodEvictionTimeout = values.Duration(_podEvictionTimeout) ?? LifecycleDefaults.PodEvictionTimeout,
        NodeEvictionRate = values.Number(_evictionRate) ?? LifecycleDefaults.NodeEvictionRate,
        SecondaryNodeEvictionRate = values.Number(_secondaryEvictionRate) ?? LifecycleDefaults.SecondaryNodeEvictionRate,
        UnhealthyZoneThreshold = values.Number(_unhealthyZoneThreshold) ?? LifecycleDefaults.UnhealthyZoneThreshold,
        LargeClusterSizeThreshold = values.Integer(_largeClusterSize) ?? LifecycleDefaults.LargeClusterSizeThreshold,
    };

    private NodeIpamOptions Ipam(Values values) => IpamDefaults with
    {
        ClusterCidr = values.Text(_clusterCidr) ?? DefaultClusterCidr,
        NodeCidrMaskSize = values.Integer(_nodeCidrMaskSize) ?? IpamDefaults.NodeCidrMaskSize,
        ServiceCidr = values.Text(_serviceRange),
    };

    /// <summary>Reads flag values from a parse result or, in a validator, a command result.</summary>
    private sealed record Values(
        Func<Option<TimeSpan?>, TimeSpan?> Duration,
        Func<Option<double?>, double?> Number,
        Func<Option<int?>, int?> Integer,
        Func<Option<string>, string?> Text);
}
