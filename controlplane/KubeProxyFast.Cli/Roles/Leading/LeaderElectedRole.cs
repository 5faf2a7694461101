using System.Diagnostics.CodeAnalysis;
using System.Net;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Client;
using KubeProxyFast.Client.LeaderElection;
using KubeProxyFast.Client.Metrics;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli.Roles.Leading;

/// <summary>
/// A role whose loops run only while it holds its Lease in kube-system (the controller manager, the
/// scheduler), as the Kubernetes components do with <c>--leader-elect</c>. Started, it serves
/// <c>/healthz</c> and <c>/metrics</c> at once and campaigns in the background; each term of
/// leadership runs <see cref="RunTermAsync"/> with a token cancelled when the term ends.
/// <para>
/// Losing the lease ends the term: the loops are stopped (before anyone else may take the lease,
/// the elector sees to that) and the role campaigns again. Kubernetes' components exit instead, to
/// be restarted clean; here the apiserver may share the process, and exiting would take the API
/// down with it. Each term builds its loops from nothing (a new informer factory, new queues), so
/// a new term starts as clean as a restarted process; only the metrics registry carries over.
/// A term that fails (its loops throw or end by themselves) fails the role: that is a bug or a bad
/// setting, which another term would not cure.
/// </para>
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "StopAsync disposes the stop source; roles are not disposed, they are stopped (IRole).")]
internal abstract partial class LeaderElectedRole : IRole
{
    /// <summary>Where the Kubernetes components keep their leases.</summary>
    public const string LeaseNamespace = "kube-system";

    private readonly LeadingRoleSettings _settings;
    private readonly CancellationTokenSource _stop = new();
    private readonly Gauge _leaderStatus;
    private volatile RoleHealth _health = RoleHealth.NotStarted;
    private volatile bool _leading;
    private KubeClient? _client;
    private StatusServer? _status;
    private Task? _campaign;
    private ILogger? _logger;

    /// <summary>The role, leading through the Lease <paramref name="leaseName"/>.</summary>
    protected LeaderElectedRole(string leaseName, LeadingRoleSettings settings)
    {
        LeaseName = leaseName;
        _settings = settings;
        // Kubernetes' hostname_uuid: unique per process, readable in the Lease's holderIdentity.
        Identity = $"{Environment.MachineName}_{Guid.NewGuid()}";
        _leaderStatus = Metrics.Gauge(
            "leader_election_master_status",
            "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease.",
            ["name"]).WithLabels(leaseName);
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>The Lease's name (<c>kube-controller-manager</c>, <c>kube-scheduler</c>).</summary>
    public string LeaseName { get; }

    /// <summary>This instance's holder identity in the Lease.</summary>
    public string Identity { get; }

    /// <inheritdoc/>
    public RoleHealth Health => _health;

    /// <summary>The role's metrics, served at <c>/metrics</c>; kept across terms.</summary>
    public MetricsRegistry Metrics { get; } = new();

    /// <summary>True while a term runs (the lease held, or leader election off).</summary>
    public bool IsLeading => _leading;

    /// <summary>Where <c>/healthz</c> and <c>/metrics</c> are served, once started.</summary>
    public IPEndPoint? StatusEndPoint => _status?.EndPoint;

    /// <inheritdoc/>
    public async Task StartAsync(RoleContext context, CancellationToken cancellationToken)
    {
        _logger = context.LoggerFactory.CreateLogger("kpf." + Name);
        var client = _settings.Connect();
        try
        {
            _status = await StatusServer.StartAsync(_settings.StatusAddress, Metrics, () => _health, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            client.Dispose();
            throw new RoleException($"cannot listen on {_settings.StatusAddress} ({_settings.StatusFlag}): {e.Message}", e);
        }

        _client = client;
        _health = RoleHealth.Serving;
        context.Print($"serving /healthz and /metrics on http://{_status.EndPoint}");
        if (_settings.Election.Enabled)
        {
            context.Print($"campaigning for the lease {LeaseNamespace}/{LeaseName} as {Identity}");
        }

        _campaign = Task.Run(() => CampaignAsync(context), CancellationToken.None);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _health = RoleHealth.Stopped;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            if (_campaign is not null)
            {
                // The term stops its loops, then the elector releases the lease for a standby.
                await _campaign.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (_status is not null)
            {
                await _status.DisposeAsync().ConfigureAwait(false);
            }

            _client?.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>
    /// One term: runs the role's loops until <paramref name="cancellationToken"/> is cancelled (the
    /// lease lost, or the role stopping), then returns once they have stopped.
    /// </summary>
    protected abstract Task RunTermAsync(KubeClient client, ILoggerFactory loggerFactory, CancellationToken cancellationToken);

    private async Task CampaignAsync(RoleContext context)
    {
        if (!_settings.Election.Enabled)
        {
            await TermAsync(context, _stop.Token).ConfigureAwait(false);
            return;
        }

        var election = _settings.Election;
        while (!_stop.IsCancellationRequested)
        {
            var elector = new LeaderElector(_client!, new LeaderElectionConfig
            {
                Namespace = LeaseNamespace,
                Name = LeaseName,
                Identity = Identity,
                LeaseDuration = election.LeaseDuration,
                RenewDeadline = election.RenewDeadline,
                RetryPeriod = election.RetryPeriod,
                // Stopping as asked hands the lease over at once rather than after a lease duration.
                ReleaseOnCancel = true,
                OnStartedLeading = token => TermAsync(context, token),
            }, context.LoggerFactory.CreateLogger<LeaderElector>());
            await elector.RunAsync(_stop.Token).ConfigureAwait(false);
        }
    }

    private async Task TermAsync(RoleContext context, CancellationToken cancellationToken)
    {
        _leading = true;
        _leaderStatus.Set(1);
        if (_settings.Election.Enabled)
        {
            LogLeading(_logger!, Name, LeaseName);
        }

        try
        {
            await RunTermAsync(_client!, context.LoggerFactory, cancellationToken).ConfigureAwait(false);
            if (!cancellationToken.IsCancellationRequested)
            {
                context.Fail(new RoleException("its loops stopped by themselves"));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The term ended as asked.
        }
        catch (Exception e)
        {
            context.Fail(e as RoleException ?? new RoleException(e.Message, e));
        }
        finally
        {
            _leading = false;
            _leaderStatus.Set(0);
            if (!_stop.IsCancellationRequested)
            {
                LogLost(_logger!, Name, LeaseName);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Role}: leading through the lease {Lease}; running")]
    private static partial void LogLeading(ILogger logger, string role, string lease);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Role}: lost the lease {Lease}; stopped, campaigning again")]
    private static partial void LogLost(ILogger logger, string role, string lease);
}
