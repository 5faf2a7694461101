using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.KubeProxy.Agent;

namespace KubeProxyFast.Cli.Roles.Proxy;

/// <summary>
/// kube-proxy as a role: the <see cref="ProxyAgent"/> serving the Services and Endpoints of a
/// watched file. Ready once the first version is served; a later bad version is rejected while
/// the last good one keeps serving, so the role stays ready and says so in its reason.
/// </summary>
internal sealed class ProxyRole : IRole
{
    private readonly ProxyAgentOptions _options;
    private volatile ProxyAgent? _agent;
    private volatile bool _stopped;

    /// <summary>The role, configured by <paramref name="options"/> (see <see cref="ProxyFlags"/>).</summary>
    public ProxyRole(ProxyAgentOptions options) => _options = options;

    /// <inheritdoc/>
    public string Name => "proxy";

    /// <inheritdoc/>
    public RoleHealth Health
    {
        get
        {
            if (_stopped)
            {
                return RoleHealth.Stopped;
            }

            if (_agent is not { } agent)
            {
                return RoleHealth.NotStarted;
            }

            return agent.Config.Status is { Succeeded: false } status
                ? RoleHealth.Serving with { Reason = "the latest version of the file was rejected; the last good one is served: " + status.Message }
                : RoleHealth.Serving;
        }
    }

    /// <inheritdoc/>
    public async Task StartAsync(RoleContext context, CancellationToken cancellationToken)
    {
        if (Unreadable(_options.ConfigPath) is { } problem)
        {
            throw new RoleException($"--config {_options.ConfigPath}: {problem}");
        }

        try
        {
            _agent = await ProxyAgent.StartAsync(_options, context.LoggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch (ProxyStartException e)
        {
            throw new RoleException($"cannot start: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        if (_agent is { } agent)
        {
            await agent.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Why <paramref name="path"/> cannot be read, or null when it can.</summary>
    private static string? Unreadable(string path)
    {
        if (Directory.Exists(path))
        {
            return "is a directory, not a file";
        }

        try
        {
            using var stream = File.OpenRead(path);
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "no such file";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"cannot read it: {e.Message}";
        }
    }
}
