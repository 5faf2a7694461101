using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli.Hosting;

/// <summary>What the <see cref="RoleHost"/> gives one role: the shared logging, the operator's output, and a way back to the host.</summary>
internal sealed class RoleContext
{
    private readonly RoleHost _host;
    private readonly IRole _role;

    internal RoleContext(RoleHost host, IRole role, ILoggerFactory loggerFactory)
    {
        _host = host;
        _role = role;
        LoggerFactory = loggerFactory;
    }

    /// <summary>The one logger factory of the process (stderr, at the level of <c>--log-level</c>).</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>
    /// Writes a line for the operator on stdout (where to reach the role, a file it wrote),
    /// prefixed <c>kpf &lt;command&gt;: </c>, and the role's name when the command runs several roles.
    /// </summary>
    public void Print(string line) => _host.Print(_role, line);

    /// <summary>
    /// The role failed while running and cannot go on: the host stops every role and exits 1 with
    /// <paramref name="error"/> (a <see cref="RoleException"/>'s message is printed as it is).
    /// Ignored once the host is stopping.
    /// </summary>
    public void Fail(Exception error) => _host.Fail(_role, error);

    /// <summary>The role's <see cref="IRole.Health"/> changed: the host re-reads it (and says "ready" once every role is).</summary>
    public void HealthChanged() => _host.HealthChanged();
}
