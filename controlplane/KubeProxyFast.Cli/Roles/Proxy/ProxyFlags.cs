using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Relay;
using KubeProxyFast.KubeProxy.Agent;
using KubeProxyFast.KubeProxy.Flags;
using KubeProxyFast.KubeProxy.Metrics;
using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.KubeProxy.Pipeline;

namespace KubeProxyFast.Cli.Roles.Proxy;

/// <summary>
/// The flags of the kube-proxy role, named and defaulted as kube-proxy's where kube-proxy has them
/// (<c>--proxy-mode</c>, <c>--udp-timeout</c>, <c>--metrics-bind-address</c>). A new flag is a
/// field here, added in <see cref="AddTo"/> and read in <see cref="Bind(ParseResult)"/>.
/// </summary>
internal sealed class ProxyFlags : IRoleFlags
{
    private static readonly ProxyEngineOptions Defaults = new();

    private static readonly NetfilterSyncLoopOptions NetfilterDefaults = new();

    private static readonly ProxyPipelineOptions SyncDefaults = new();

    private static readonly (string Name, BalancingMode Value)[] BalancingChoices =
        [("random", BalancingMode.Random), ("round-robin", BalancingMode.RoundRobin)];

    private static readonly (string Name, RelayMode Value)[] RelayChoices =
        [("auto", RelayMode.Auto), ("splice", RelayMode.Splice), ("buffer", RelayMode.Buffer)];

    private static readonly (string Name, ProxyMode Value)[] ModeChoices =
        [("direct", ProxyMode.Direct), ("userspace", ProxyMode.Userspace), ("kernel", ProxyMode.Kernel)];

    private readonly Option<string> _config = new("--config")
    {
        Description = "File of v1 Services and Endpoints (YAML or JSON, several documents or a List) to serve; " +
            "reloaded when it changes, and a bad version is rejected whole while the last good one keeps serving",
        HelpName = "file",
    };

    private readonly Option<string> _kubeconfig = new("--kubeconfig")
    {
        Description = "Take Services and Endpoints from the apiserver of this kubeconfig's current context (list, then watch; " +
            "the last state keeps serving while the apiserver is away)",
        HelpName = "file",
    };

    private readonly Option<Uri> _master = ApiServerClientFlags.MasterOption("The apiserver's URL (overrides the server of --kubeconfig, as kube-proxy's --master)");

    private readonly Option<ProxyMode?> _mode = FlagParts.Choice("--proxy-mode",
        "direct: each service port listens on its own addresses, no netfilter; userspace: nf_tables redirects service addresses " +
        "to a local proxy port per service port; kernel: nf_tables DNATs service traffic straight to endpoints (needs root)",
        ModeChoices, ProxyMode.Direct);

    private readonly Option<int> _threads = new("--threads")
    {
        Description = "Event loop threads, each with its own listeners and connections",
        DefaultValueFactory = _ => Defaults.Threads,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 256)
            {
                result.AddError($"--threads: \"{text}\": must be a number between 1 and 256");
            }

            return n;
        },
    };

    private readonly Option<BalancingMode?> _balancing =
        FlagParts.Choice("--balancing", "How new connections are spread over a service port's endpoints", BalancingChoices, Defaults.Balancing);

    private readonly Option<RelayMode?> _relay = FlagParts.Choice("--relay",
        "How TCP bytes are moved: copy through buffers, splice(2), or buffers switching to splice for bulk transfers", RelayChoices, Defaults.Relay);

    private readonly Option<TimeSpan?> _drain =
        FlagParts.Duration("--drain-period", "How long connections to a removed endpoint or service port stay open", Defaults.DrainPeriod, allowZero: true);

    private readonly Option<TimeSpan?> _idle =
        FlagParts.Duration("--idle-timeout", "A TCP connection with no traffic either way for this long is closed", Defaults.IdleTimeout, allowZero: false);

    private readonly Option<TimeSpan?> _udp = FlagParts.Duration("--udp-timeout",
        "A UDP client session idle for this long is dropped (as kube-proxy's --udp-timeout)", Defaults.UdpIdleTimeout, allowZero: false);

    private readonly Option<int> _maxConnections = new("--max-connections")
    {
        Description = "Most TCP connections relayed at once; further clients wait in the listen queue (0: derived from the open-files limit)",
        HelpName = "n",
        DefaultValueFactory = _ => 0,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                result.AddError($"--max-connections: \"{text}\": must be a non-negative number");
            }

            return n;
        },
    };

    private readonly Option<TimeSpan?> _busyPoll = FlagParts.Duration("--busy-poll",
        "After work, an event loop polls this long without sleeping (saves wake-up latency; 0 sleeps at once)", Defaults.BusyPoll, allowZero: true);

    private readonly Option<bool> _noIoUring = new("--no-io-uring")
    {
        Description = "Make every epoll_ctl, setsockopt, send and close of a connection a plain system call instead of batching them through io_uring",
    };

    private readonly Option<TimeSpan?> _syncPeriod = FlagParts.Duration("--sync-period",
        "Longest time between two syncs, changes or not; the netfilter table is read back and repaired if it drifted",
        SyncDefaults.SyncPeriod, allowZero: false);

    private readonly Option<TimeSpan?> _minSyncPeriod = FlagParts.Duration("--min-sync-period",
        "Least time between two syncs (beyond a burst of 2); faster changes are merged into one", SyncDefaults.MinSyncPeriod, allowZero: true);

    private readonly Option<bool> _keepRules = new("--keep-rules")
    {
        Description = "Leave the netfilter table ip kpf in place on exit (it is deleted by default)",
    };

    private readonly Option<string> _metrics = new("--metrics-bind-address")
    {
        Description = "ip:port of /metrics and /healthz (port 0: any free port; \"\" turns them off)",
        HelpName = "ip:port",
        DefaultValueFactory = _ => $"127.0.0.1:{MetricsServer.DefaultPort}",
    };

    /// <summary>The flags, with their parsers and validators.</summary>
    public ProxyFlags() => _metrics.Validators.Add(result => _ = BindAddress(result.GetValueOrDefault<string>() ?? "", result));

    /// <inheritdoc/>
    public void AddTo(Command command)
    {
        Option[] options =
        [
            _config, _kubeconfig, _master, _mode, _threads, _balancing, _relay, _drain, _idle, _udp, _maxConnections, _busyPoll, _noIoUring,
            _syncPeriod, _minSyncPeriod, _keepRules, _metrics,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            var fromFile = result.GetResult(_config) is not null;
            var fromApiServer = result.GetResult(_kubeconfig) is not null || result.GetResult(_master) is not null
                || (JoinSource is { } join && result.GetResult(join) is not null);
            if (fromFile && fromApiServer)
            {
                result.AddError("--config and --kubeconfig/--master are two sources: give one (a file, or an apiserver)");
            }
            else if (!fromFile && !fromApiServer)
            {
                result.AddError("give a source: --config FILE (Services and Endpoints in a file) or --kubeconfig FILE / --master URL (from an apiserver)");
            }
        });
    }

    /// <summary>In <c>kpf agent</c>: <c>--server</c>, a third source (the apiserver joined with a token).</summary>
    public Option? JoinSource { get; init; }

    /// <summary><c>--kubeconfig</c> (in <c>kpf agent</c>, shared with the kubelet).</summary>
    public Option KubeconfigOption => _kubeconfig;

    /// <summary><c>--master</c> (in <c>kpf agent</c>, shared with the kubelet).</summary>
    public Option MasterOption => _master;

    /// <inheritdoc/>
    public IRole Bind(ParseResult parse) => new ProxyRole(Options(parse));

    /// <summary>The role reaching the apiserver of <paramref name="kubeconfig"/> (a joined node's), whatever the flags name.</summary>
    public IRole Bind(ParseResult parse, string kubeconfig) => new ProxyRole(Options(parse) with { Kubeconfig = kubeconfig, Master = null });

    /// <summary>The proxy's settings from the values of <paramref name="parse"/>.</summary>
    private ProxyAgentOptions Options(ParseResult parse) => new()
    {
        ConfigPath = parse.GetValue(_config),
        Kubeconfig = parse.GetValue(_kubeconfig),
        Master = parse.GetValue(_master),
        Mode = parse.GetValue(_mode) ?? ProxyMode.Direct,
        Netfilter = NetfilterDefaults with { KeepRulesOnExit = parse.GetValue(_keepRules) },
        Sync = SyncDefaults with
        {
            SyncPeriod = parse.GetValue(_syncPeriod) ?? SyncDefaults.SyncPeriod,
            MinSyncPeriod = parse.GetValue(_minSyncPeriod) ?? SyncDefaults.MinSyncPeriod,
        },
        Engine = Defaults with
        {
            Threads = parse.GetValue(_threads),
            Balancing = parse.GetValue(_balancing) ?? Defaults.Balancing,
            Relay = parse.GetValue(_relay) ?? Defaults.Relay,
            DrainPeriod = parse.GetValue(_drain) ?? Defaults.DrainPeriod,
            IdleTimeout = parse.GetValue(_idle) ?? Defaults.IdleTimeout,
            UdpIdleTimeout = parse.GetValue(_udp) ?? Defaults.UdpIdleTimeout,
            BusyPoll = parse.GetValue(_busyPoll) ?? Defaults.BusyPoll,
            IoUring = !parse.GetValue(_noIoUring),
            MaxConnections = parse.GetValue(_maxConnections),
        },
        MetricsBindAddress = BindAddress(parse.GetValue(_metrics) ?? "", null),
    };

    /// <summary>The metrics address, null when off; an error on <paramref name="result"/> when malformed.</summary>
    private static IPEndPoint? BindAddress(string text, OptionResult? result)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (!HostPort.TryParse(text, MetricsServer.DefaultPort, out var endPoint, out var problem))
        {
            result?.AddError($"--metrics-bind-address: {problem}");
        }

        return endPoint;
    }
}
