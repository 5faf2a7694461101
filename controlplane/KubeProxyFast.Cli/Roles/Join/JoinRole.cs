using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Kubelet;
using KubeProxyFast.Kubelet.Bootstrap;
using KubeProxyFast.Kubelet.Nodes;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Cli.Roles.Join;

/// <summary>
/// The agent's first role when it joins with a token: the server's CA pinned, the node's client
/// certificate obtained (or reused) and <c>kubelet.kubeconfig</c> written before the kubelet and
/// kube-proxy start with it; then the serving certificate and both renewals run in the background
/// until the agent stops.
/// </summary>
internal sealed class JoinRole : IRole
{
    private readonly Uri _server;
    private readonly Func<JoinToken> _token;
    private readonly KubeletOptions _kubelet;
    private volatile NodeBootstrap? _bootstrap;
    private volatile bool _stopped;

    /// <summary>Joins <paramref name="server"/> with the token <paramref name="token"/> reads, as the node <paramref name="kubelet"/> configures.</summary>
    public JoinRole(Uri server, Func<JoinToken> token, KubeletOptions kubelet)
    {
        _server = server;
        _token = token;
        _kubelet = kubelet;
        Paths = NodeCredentialPaths.ForDataDirectory(kubelet.DataDirectory);
    }

    /// <summary>Where the node's credentials and kubeconfig are written.</summary>
    public NodeCredentialPaths Paths { get; }

    /// <inheritdoc/>
    public string Name => "join";

    /// <inheritdoc/>
    public RoleHealth Health => _stopped ? RoleHealth.Stopped : _bootstrap is null ? RoleHealth.NotStarted : RoleHealth.Serving;

    /// <inheritdoc/>
    public async Task StartAsync(RoleContext context, CancellationToken cancellationToken)
    {
        var options = new NodeBootstrapOptions
        {
            Server = _server,
            Token = _token(),
            NodeName = _kubelet.NodeName,
            NodeAddresses = Addresses(),
            Paths = Paths,
        };
        try
        {
            _bootstrap = await NodeBootstrap.StartAsync(options, context.LoggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeBootstrapException e)
        {
            throw new RoleException($"cannot join {_server}: {e.Message}", e);
        }

        context.Print($"joined {_server} as system:node:{_kubelet.NodeName} ({(_bootstrap.Reused ? "certificate of an earlier run reused" : "certificate issued")}); credentials in {Paths.AgentDirectory}");
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        if (_bootstrap is { } bootstrap)
        {
            await bootstrap.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The node's InternalIP (<c>--node-ip</c>, else the default route's source): the serving certificate's IP SAN.</summary>
    private IReadOnlyList<IPAddress> Addresses()
    {
        try
        {
            return [.. NodeAddresses.For(_kubelet.NodeIp, _kubelet.NodeName)
                .Where(a => a.Type == NodeAddressTypes.InternalIP)
                .Select(a => IPAddress.Parse(a.Address!))];
        }
        catch (InvalidOperationException e)
        {
            throw new RoleException($"cannot tell the node's address for its serving certificate (give --node-ip): {e.Message}", e);
        }
    }
}
