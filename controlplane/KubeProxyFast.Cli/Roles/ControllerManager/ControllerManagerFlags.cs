using System.CommandLine;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.Leading;
using KubeProxyFast.Client;
using KubeProxyFast.Controllers;
using KubeProxyFast.Controllers.Certificates;
using KubeProxyFast.Controllers.Endpoints;
using KubeProxyFast.Controllers.GarbageCollector;
using KubeProxyFast.Controllers.Replication;

namespace KubeProxyFast.Cli.Roles.ControllerManager;

/// <summary>
/// The flags of the controller manager role, kube-controller-manager's: <c>--controllers</c>, the
/// <c>--leader-elect*</c> flags, <c>--bind-address</c>/<c>--secure-port</c> (10257) and, alone,
/// <c>--kubeconfig</c>/<c>--master</c>. In <c>kpf server</c> it reaches the apiserver of the same
/// process and its port flag is <c>--controller-manager-secure-port</c>.
/// </summary>
internal sealed class ControllerManagerFlags : IRoleFlags
{
    /// <summary>kube-controller-manager's secure port.</summary>
    public const int DefaultPort = 10257;

    private readonly LeaderElectionFlags _election;
    private readonly ApiServerClientFlags? _apiServer;
    private readonly StatusFlags _status;
    private readonly NodeControllerFlags _nodes;
    private readonly CsrSigningFlags _signing = new();

    private readonly Option<string[]> _controllers = new("--controllers")
    {
        Description = "Controllers to run, comma-separated: '*' every controller, 'foo' enables foo, '-foo' disables foo (first match wins). " +
            $"Known: {string.Join(", ", KnownControllers.All.Select(c => c.Name))}",
        HelpName = "names",
        // Without it an absent flag parses as an empty list, which enables nothing.
        DefaultValueFactory = _ => ["*"],
        CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
    };

    private readonly Option<int> _concurrentGcSyncs = new("--concurrent-gc-syncs")
    {
        Description = "The number of garbage collector workers that are allowed to sync concurrently.",
        DefaultValueFactory = _ => new GarbageCollectorOptions().ConcurrentGcSyncs,
        HelpName = "int",
    };

    private readonly Option<int> _concurrentRcSyncs = new("--concurrent-rc-syncs")
    {
        Description = "The number of replication controllers that are allowed to sync concurrently. " +
            "Larger number = more responsive replica management, but more CPU (and network) load",
        HelpName = "n",
        DefaultValueFactory = _ => new ReplicationOptions().ConcurrentRcSyncs,
    };

    private readonly Option<int> _concurrentEndpointSyncs = new("--concurrent-endpoint-syncs")
    {
        Description = "The number of endpoint syncing operations that will be done concurrently. " +
            "Larger number = faster endpoint updating, but more CPU (and network) load",
        HelpName = "n",
        DefaultValueFactory = _ => new EndpointsOptions().ConcurrentEndpointSyncs,
    };

    private readonly Option<TimeSpan?> _endpointUpdatesBatchPeriod = FlagParts.Duration("--endpoint-updates-batch-period",
        "How long the processing of pod changes is delayed to join them with upcoming ones into one write of the Endpoints " +
        "(larger = higher endpoint programming latency, fewer Endpoints revisions)", new EndpointsOptions().EndpointUpdatesBatchPeriod, allowZero: true);

    /// <summary>The flags of <c>kpf controller-manager</c> (<paramref name="alone"/>) or of the controller manager in <c>kpf server</c>.</summary>
    /// <param name="election">The command's <c>--leader-elect*</c> flags, shared with the scheduler in <c>kpf server</c>.</param>
    /// <param name="alone">True for <c>kpf controller-manager</c>: the apiserver from <c>--kubeconfig</c>/<c>--master</c>.</param>
    /// <param name="serviceRange">In <c>kpf server</c>, the apiserver's <c>--service-cluster-ip-range</c> (node IPAM leaves it out).</param>
    public ControllerManagerFlags(LeaderElectionFlags election, bool alone, Option<string>? serviceRange = null)
    {
        _election = election;
        _apiServer = alone ? new ApiServerClientFlags("list+watch for the controllers, and their writes") : null;
        _nodes = new NodeControllerFlags(serviceRange);
        _status = alone ? new StatusFlags("--bind-address", "--secure-port", DefaultPort) : new StatusFlags(null, "--controller-manager-secure-port", DefaultPort);
        _controllers.Validators.Add(result =>
        {
            try
            {
                ControllerSelection.Enabled(result.GetValueOrDefault<string[]>() ?? ["*"], KnownControllers.All);
            }
            catch (ArgumentException e)
            {
                result.AddError(e.Message);
            }
        });
        _concurrentGcSyncs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"--concurrent-gc-syncs must be at least 1, not {result.GetValueOrDefault<int>()}");
            }
        });
        _concurrentEndpointSyncs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{_concurrentEndpointSyncs.Name} must be at least 1, not {result.GetValueOrDefault<int>()}");
            }
        });
        _concurrentRcSyncs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{_concurrentRcSyncs.Name} must be at least 1");
            }
        });
    }

    /// <inheritdoc/>
    public void AddTo(Command command)
    {
        command.Options.Add(_controllers);
        command.Options.Add(_concurrentGcSyncs);
        command.Options.Add(_concurrentRcSyncs);
        command.Options.Add(_concurrentEndpointSyncs);
        command.Options.Add(_endpointUpdatesBatchPeriod);
        _nodes.AddTo(command);
        _signing.AddTo(command);
        _apiServer?.AddTo(command);
        _election.AddTo(command);
        _status.AddTo(command);
    }

    /// <inheritdoc/>
    public IRole Bind(ParseResult parse) => _apiServer is null
        ? throw new InvalidOperationException("in kpf server the controller manager reaches the apiserver role: bind it with that role's client")
        : Bind(parse, _apiServer.Connect(parse));

    /// <summary>
    /// The role, reaching the apiserver through <paramref name="connect"/>; <paramref name="signing"/>
    /// is how the csrsigning controller signs (in <c>kpf server</c>, with the server's own CAs).
    /// </summary>
    public ControllerManagerRole Bind(ParseResult parse, Func<KubeClient> connect, CsrSigningOptions? signing = null) => new(
        _nodes.Apply(parse, new ControllerManagerOptions
        {
            Controllers = parse.GetValue(_controllers) ?? ["*"],
            GarbageCollector = new GarbageCollectorOptions { ConcurrentGcSyncs = parse.GetValue(_concurrentGcSyncs) },
            ReplicationController = new ReplicationOptions { ConcurrentRcSyncs = parse.GetValue(_concurrentRcSyncs) },
            Endpoint = new EndpointsOptions
            {
                ConcurrentEndpointSyncs = parse.GetValue(_concurrentEndpointSyncs),
                EndpointUpdatesBatchPeriod = parse.GetValue(_endpointUpdatesBatchPeriod) ?? TimeSpan.Zero,
            },
            // kpf server passes its own CAs; alone, the --cluster-signing-* flags name them.
            CsrSigning = signing ?? _signing.Bind(parse),
        }),
        new LeadingRoleSettings(connect, _election.Bind(parse), _status.Bind(parse), _status.PortFlag));
}
