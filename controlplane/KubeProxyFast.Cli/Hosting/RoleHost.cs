using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli.Hosting;

/// <summary>
/// Runs a set of roles in one process: starts them in order, reports "ready" once every one is,
/// and stops them in reverse order, gracefully within a deadline, when asked (a signal, see
/// <see cref="ShutdownSignals"/>) or when one of them fails. A role that fails at start stops the
/// host too: the roles started before it are stopped and the host exits 1 with its error.
/// Every role shares the one logger factory and the operator's output.
/// </summary>
internal sealed partial class RoleHost : IDisposable
{
    /// <summary>How long every role together has to stop gracefully (kubelet's and kube-apiserver's shutdown budgets are of this order).</summary>
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(10);

    // Past the deadline, each role not yet stopped is still asked to stop, with its token already
    // cancelled, and waited for this long: enough to close its ports and delete its netfilter
    // table, which would otherwise outlive the process.
    private static readonly TimeSpan AfterDeadlineStopTimeout = TimeSpan.FromSeconds(1);

    private readonly string _command;
    private readonly IReadOnlyList<IRole> _roles;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly TimeSpan _stopTimeout;
    private readonly string _names;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private RoleFailure? _failure;
    private bool _allStarted;
    private bool _saidReady;

    /// <summary>A host for <paramref name="roles"/>, started in that order, run by the command <paramref name="command"/>.</summary>
    /// <param name="command">The kpf command, for the prefix of every line written to <paramref name="output"/> and <paramref name="error"/>.</param>
    /// <param name="roles">The roles, in start order; at least one, with distinct names.</param>
    /// <param name="loggerFactory">The process's logging, shared by every role.</param>
    /// <param name="output">Where roles' lines for the operator go (stdout).</param>
    /// <param name="error">Where the error that stopped the host goes (stderr).</param>
    /// <param name="stopTimeout">How long all roles together have to stop gracefully; <see cref="DefaultStopTimeout"/> when null.</param>
    public RoleHost(string command, IReadOnlyList<IRole> roles, ILoggerFactory loggerFactory, TextWriter output, TextWriter error, TimeSpan? stopTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentOutOfRangeException.ThrowIfZero(roles.Count, nameof(roles));
        if (roles.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count() != roles.Count)
        {
            throw new ArgumentException("two roles have the same name", nameof(roles));
        }

        _command = command;
        _roles = roles;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("kpf");
        _output = output;
        _error = error;
        _stopTimeout = stopTimeout ?? DefaultStopTimeout;
        _names = string.Join(", ", roles.Select(r => r.Name));
    }

    /// <summary>
    /// The host's health: live while every role is, ready once every role has started and is
    /// ready; otherwise the first role's reason that is not (<c>apiserver: waiting for the store: …</c>).
    /// </summary>
    public RoleHealth Health
    {
        get
        {
            foreach (var role in _roles)
            {
                var health = role.Health;
                if (!health.Live || !health.Ready)
                {
                    return health with { Reason = $"{role.Name}: {health.Reason}" };
                }
            }

            return RoleHealth.Serving;
        }
    }

    /// <summary>
    /// Starts the roles, runs until <paramref name="stopRequested"/> is cancelled or a role fails,
    /// then stops the roles started, in reverse order. Returns the exit code: 0 when stopped as
    /// asked and every role stopped in time; 1 when a role failed (its error written to the error
    /// writer, naming it when the host runs several roles) or did not stop cleanly.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken stopRequested)
    {
        var started = new List<IRole>(_roles.Count);
        using (stopRequested.Register(static host => ((RoleHost)host!)._stopping.Cancel(), this))
        {
            await StartAsync(started).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        var stoppedCleanly = await StopAsync(started).ConfigureAwait(false);
        return await ReportAsync(stoppedCleanly).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose() => _stopping.Dispose();

    /// <summary>Writes <paramref name="line"/> for the operator, prefixed with the command (and <paramref name="role"/> when there are several).</summary>
    internal void Print(IRole role, string line)
    {
        lock (_lock)
        {
            _output.WriteLine(Prefix(role) + line);
            _output.Flush();
        }
    }

    /// <summary><paramref name="role"/> failed while running: the host stops, unless it is stopping already.</summary>
    internal void Fail(IRole role, Exception error)
    {
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _failure = new RoleFailure(role, error);
        }

        LogFailed(_logger, role.Name, error.Message);
        _stopping.Cancel();
    }

    /// <summary>Re-reads the roles' health; says "ready" the first time every role has started and is ready.</summary>
    internal void HealthChanged()
    {
        lock (_lock)
        {
            if (_saidReady || !_allStarted || _stopping.IsCancellationRequested || !Health.Ready)
            {
                return;
            }

            _saidReady = true;
        }

        LogReady(_logger, _names);
    }

    private async Task StartAsync(List<IRole> started)
    {
        foreach (var role in _roles)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            LogStarting(_logger, role.Name);
            try
            {
                await role.StartAsync(new RoleContext(this, role, _loggerFactory), _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                StartFailed(role, e);
                return;
            }

            started.Add(role);
        }

        lock (_lock)
        {
            _allStarted = true;
        }

        HealthChanged();
    }

    private void StartFailed(IRole role, Exception error)
    {
        lock (_lock)
        {
            // A role that failed earlier, while this one started, is the cause.
            _failure ??= new RoleFailure(role, error);
        }

        if (error is not RoleException)
        {
            LogUnexpected(_logger, role.Name, error);
        }

        _stopping.Cancel();
    }

    private async Task<int> ReportAsync(bool stoppedCleanly)
    {
        RoleFailure? failure;
        lock (_lock)
        {
            failure = _failure;
        }

        if (failure is null)
        {
            return stoppedCleanly ? 0 : 1;
        }

        var message = failure.Error is RoleException ? failure.Error.Message : $"{failure.Error.GetType().Name}: {failure.Error.Message}";
        foreach (var line in message.Split('\n'))
        {
            await _error.WriteLineAsync(Prefix(failure.Role) + line).ConfigureAwait(false);
        }

        return 1;
    }

    // A command that is one role names it already (kpf proxy); one that runs several names the role at fault.
    private string Prefix(IRole role) => _roles.Count > 1 ? $"kpf {_command}: {role.Name}: " : $"kpf {_command}: ";

    private sealed record RoleFailure(IRole Role, Exception Error);
}
