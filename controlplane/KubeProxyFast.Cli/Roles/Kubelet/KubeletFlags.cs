using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Client;
using KubeProxyFast.Kubelet;
using KubeProxyFast.Kubelet.Cri;
using KubeProxyFast.Kubelet.Nodes;

namespace KubeProxyFast.Cli.Roles.Kubelet;

/// <summary>
/// The flags of the kubelet role, named and defaulted as the kubelet's (and k3s's where the kubelet
/// has none: <c>--data-dir</c>, <c>--registry-config</c>). Alone (<c>kpf kubelet</c>) it takes the
/// apiserver from <c>--kubeconfig</c>/<c>--master</c>; in <c>kpf agent</c> it shares those of the
/// proxy role. Every value is checked when the command is parsed, the error naming the flag.
/// </summary>
internal sealed class KubeletFlags : IRoleFlags
{
    private static readonly KubeletOptions Defaults = new();

    private static readonly string[] ReservableResources = ["cpu", "memory", "ephemeral-storage", "pid"];

    private readonly ApiServerClientFlags? _apiServer;

    private readonly KubeletServerFlags _server = new();

    private readonly Option<string> _nodeName = new("--node-name")
    {
        Description = "The Node's name [default: the host name, lower-cased]",
        HelpName = "name",
        CustomParser = result => Checked(result, "--node-name", NameValidation.IsDns1123Subdomain),
    };

    private readonly Option<string> _dataDir = new("--data-dir")
    {
        Description = "Root of the agent's state: agent/containerd, agent/images (archives imported at start), agent/etc/cni, agent/pods, agent/logs",
        HelpName = "dir",
        DefaultValueFactory = _ => Defaults.DataDirectory,
    };

    private readonly Option<string> _runtimeEndpoint = new("--container-runtime-endpoint")
    {
        Description = "A running CRI runtime's socket (unix:///path or a path); without it the kubelet starts its own containerd under --data-dir",
        HelpName = "unix:///path",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            try
            {
                _ = CriConnection.SocketPathOf(text);
            }
            catch (ArgumentException)
            {
                result.AddError($"--container-runtime-endpoint: \"{text}\": must be a unix socket, unix:///path or /path");
            }

            return text;
        },
    };

    private readonly Option<string> _registryConfig = new("--registry-config")
    {
        Description = "Registry mirrors and plain-HTTP registries for the embedded containerd (k3s's registries.yaml)",
        HelpName = "file",
    };

    private readonly Option<string> _podInfraImage = new("--pod-infra-container-image")
    {
        Description = "The sandbox (pause) image [default: one the kubelet builds from busybox-static and imports]",
        HelpName = "image",
    };

    private readonly Option<string> _cniBinDir = new("--cni-bin-dir")
    {
        Description = "Where the CNI plugins are (bridge, host-local, portmap, loopback)",
        HelpName = "dir",
        DefaultValueFactory = _ => Defaults.CniBinDirectory,
    };

    private readonly Option<string> _clusterCidr = new("--cluster-cidr")
    {
        Description = "The cluster's pod range: pod traffic leaving it is masqueraded",
        HelpName = "cidr",
        DefaultValueFactory = _ => Defaults.ClusterCidr,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!IPNetwork.TryParse(text, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                result.AddError($"--cluster-cidr: \"{text}\": must be an IPv4 CIDR such as 10.42.0.0/16");
            }
            else if (network.ToString() != text)
            {
                result.AddError($"--cluster-cidr: \"{text}\": has host bits set (the range is {network})");
            }

            return text;
        },
    };

    private readonly Option<IReadOnlyList<string>> _clusterDns = new("--cluster-dns")
    {
        Description = "Comma-separated DNS server IPs written into ClusterFirst pods' resolv.conf",
        HelpName = "ip,…",
        DefaultValueFactory = _ => Defaults.ClusterDns,
        CustomParser = result =>
        {
            var servers = new List<string>();
            foreach (var text in CommaList(result))
            {
                if (NameValidation.IsValidIP(text).Count > 0)
                {
                    result.AddError($"--cluster-dns: \"{text}\" is not an IP address");
                }

                servers.Add(text);
            }

            return servers;
        },
    };

    private readonly Option<string> _clusterDomain = new("--cluster-domain")
    {
        Description = "The cluster's DNS domain (search path of ClusterFirst pods)",
        HelpName = "domain",
        DefaultValueFactory = _ => Defaults.ClusterDomain,
        CustomParser = result => Checked(result, "--cluster-domain", NameValidation.IsDns1123Subdomain),
    };

    private readonly Option<string> _resolvConf = new("--resolv-conf")
    {
        Description = "The resolv.conf given to pods of dnsPolicy Default",
        HelpName = "file",
        DefaultValueFactory = _ => Defaults.ResolvConf,
    };

    private readonly Option<string> _nodeIp = new("--node-ip")
    {
        Description = "The node's InternalIP [default: the address of the default route's interface]",
        HelpName = "ip",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (NameValidation.IsValidIP(text).Count > 0)
            {
                result.AddError($"--node-ip: \"{text}\" is not an IP address");
            }

            return text;
        },
    };

    private readonly Option<IReadOnlyList<string>> _taints = new("--register-with-taints")
    {
        Description = "Taints the Node is registered with, comma-separated key=value:Effect or key:Effect (Effect: NoSchedule, PreferNoSchedule, NoExecute)",
        HelpName = "taints",
        CustomParser = result =>
        {
            var specs = CommaList(result);
            try
            {
                _ = TaintSpec.ParseAll(specs);
            }
            catch (FormatException e)
            {
                result.AddError($"--register-with-taints: {e.Message}");
            }

            return specs;
        },
    };

    private readonly Option<IReadOnlyDictionary<string, string>> _labels = new("--node-labels")
    {
        Description = "Labels of the Node, comma-separated key=value",
        HelpName = "key=value,…",
        CustomParser = result =>
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Pairs(result, "--node-labels"))
            {
                if (NameValidation.IsQualifiedName(key) is [var keyProblem, ..])
                {
                    result.AddError($"--node-labels: invalid label key \"{key}\": {keyProblem}");
                }
                else if (NameValidation.IsValidLabelValue(value) is [var valueProblem, ..])
                {
                    result.AddError($"--node-labels: invalid value \"{value}\" of label {key}: {valueProblem}");
                }

                labels[key] = value;
            }

            return labels;
        },
    };

    private readonly Option<IReadOnlyDictionary<string, Quantity>> _systemReserved = new("--system-reserved")
    {
        Description = "Resources kept for the system, subtracted from capacity: comma-separated name=quantity (cpu=500m,memory=1Gi,ephemeral-storage=1Gi,pid=1000)",
        HelpName = "name=quantity,…",
        CustomParser = result =>
        {
            var reserved = new Dictionary<string, Quantity>(StringComparer.Ordinal);
            foreach (var (name, text) in Pairs(result, "--system-reserved"))
            {
                if (!ReservableResources.Contains(name))
                {
                    result.AddError($"--system-reserved: unknown resource \"{name}\" (expected one of: {string.Join(", ", ReservableResources)})");
                }
                else if (!Quantity.TryParse(text, out var quantity))
                {
                    result.AddError($"--system-reserved: {name}=\"{text}\" is not a quantity (e.g. 500m, 1Gi)");
                }
                else if (quantity.Sign < 0)
                {
                    result.AddError($"--system-reserved: {name}={text} is negative");
                }
                else
                {
                    reserved[name] = quantity;
                }
            }

            return reserved;
        },
    };

    private readonly Option<int> _maxPods = FlagParts.PositiveInt("--max-pods", "Most pods the node runs (its pods capacity)", "n", Defaults.MaxPods);

    private readonly Option<int> _leaseDuration = FlagParts.PositiveInt(
        "--node-lease-duration-seconds", "How long the node's Lease holds (it is renewed every 10 s)", "seconds", Defaults.NodeLeaseDurationSeconds);

    private readonly Option<TimeSpan?> _statusFrequency = FlagParts.Duration("--node-status-update-frequency",
        "How often the Node's status is posted (readiness changes are posted at once)", Defaults.NodeStatusUpdateFrequency, allowZero: false);

    private readonly Option<TimeSpan?> _syncFrequency = FlagParts.Duration("--sync-frequency",
        "How often every pod is synced again even without a change", Defaults.SyncFrequency, allowZero: false);

    /// <summary>The flags of <c>kpf kubelet</c> (<paramref name="alone"/>: with its own <c>--kubeconfig</c>/<c>--master</c>) or of the kubelet in <c>kpf agent</c>.</summary>
    public KubeletFlags(bool alone) =>
        _apiServer = alone ? new ApiServerClientFlags("watch of its pods, services, nodes, configmaps, secrets; node registration, lease, status") : null;

    /// <inheritdoc/>
    public void AddTo(Command command)
    {
        _apiServer?.AddTo(command);
        Option[] options =
        [
            _nodeName, _dataDir, _runtimeEndpoint, _registryConfig, _podInfraImage, _cniBinDir, _clusterCidr, _clusterDns, _clusterDomain,
            _resolvConf, _nodeIp, _taints, _labels, _systemReserved, _maxPods, _leaseDuration, _statusFrequency, _syncFrequency,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        _server.AddTo(command);
    }

    /// <inheritdoc/>
    public IRole Bind(ParseResult parse) => _apiServer is null
        ? throw new InvalidOperationException("in kpf agent the kubelet shares the proxy's apiserver flags: bind it with that client")
        : Bind(parse, _apiServer.Connect(parse));

    /// <summary>The role, reaching the apiserver through <paramref name="connect"/>.</summary>
    public KubeletRole Bind(ParseResult parse, Func<KubeClient> connect) => new(Options(parse), connect);

    /// <summary>The kubelet's options from the values of <paramref name="parse"/>.</summary>
    public KubeletOptions Options(ParseResult parse) => new()
    {
        NodeName = parse.GetValue(_nodeName) ?? Defaults.NodeName,
        DataDirectory = Path.GetFullPath(parse.GetValue(_dataDir) ?? Defaults.DataDirectory),
        ContainerRuntimeEndpoint = parse.GetValue(_runtimeEndpoint),
        RegistryConfigPath = parse.GetValue(_registryConfig),
        PodInfraContainerImage = parse.GetValue(_podInfraImage),
        CniBinDirectory = parse.GetValue(_cniBinDir) ?? Defaults.CniBinDirectory,
        ClusterCidr = parse.GetValue(_clusterCidr) ?? Defaults.ClusterCidr,
        ClusterDns = parse.GetValue(_clusterDns) ?? Defaults.ClusterDns,
        ClusterDomain = parse.GetValue(_clusterDomain) ?? Defaults.ClusterDomain,
        ResolvConf = parse.GetValue(_resolvConf) ?? Defaults.ResolvConf,
        NodeIp = parse.GetValue(_nodeIp),
        RegisterWithTaints = parse.GetValue(_taints) ?? [],
        NodeLabels = parse.GetValue(_labels) ?? Defaults.NodeLabels,
        SystemReserved = parse.GetValue(_systemReserved) ?? Defaults.SystemReserved,
        MaxPods = parse.GetValue(_maxPods),
        NodeLeaseDurationSeconds = parse.GetValue(_leaseDuration),
        NodeStatusUpdateFrequency = parse.GetValue(_statusFrequency) ?? Defaults.NodeStatusUpdateFrequency,
        SyncFrequency = parse.GetValue(_syncFrequency) ?? Defaults.SyncFrequency,
        Server = _server.Options(parse),
    };

    /// <summary>The token's value, with an error naming <paramref name="flag"/> when <paramref name="check"/> finds problems.</summary>
    private static string Checked(ArgumentResult result, string flag, Func<string, IReadOnlyList<string>> check)
    {
        var text = result.Tokens[0].Value;
        if (check(text) is [var problem, ..])
        {
            result.AddError($"{flag}: \"{text}\": {problem}");
        }

        return text;
    }

    /// <summary>Every token split at commas (a flag may be given several times), empty entries dropped.</summary>
    private static List<string> CommaList(ArgumentResult result) =>
        [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    /// <summary><c>a=b,c=d</c> as pairs; an entry without <c>=</c> is an error naming <paramref name="flag"/>.</summary>
    private static List<(string Key, string Value)> Pairs(ArgumentResult result, string flag)
    {
        var pairs = new List<(string, string)>();
        foreach (var entry in CommaList(result))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                result.AddError($"{flag}: \"{entry}\": expected name=value");
                continue;
            }

            pairs.Add((entry[..equals], entry[(equals + 1)..]));
        }

        return pairs;
    }
}
