using System.CommandLine;
using KubeProxyFast.Client.LeaderElection;

namespace KubeProxyFast.Cli.Flags;

/// <summary>Whether and how a role leads through its Lease: the Kubernetes components' <c>--leader-elect*</c> flags.</summary>
/// <param name="Enabled">False runs the role's loops at once, without a Lease (one instance only).</param>
/// <param name="LeaseDuration">How long a standby waits after the last renewal it saw before it takes the lease.</param>
/// <param name="RenewDeadline">How long the leader keeps leading without a successful renewal.</param>
/// <param name="RetryPeriod">How often candidates try to take the lease and the leader renews it.</param>
internal sealed record LeaderElectionSettings(bool Enabled, TimeSpan LeaseDuration, TimeSpan RenewDeadline, TimeSpan RetryPeriod);

/// <summary>
/// <c>--leader-elect</c>, <c>--leader-elect-lease-duration</c>, <c>--leader-elect-renew-deadline</c>
/// and <c>--leader-elect-retry-period</c>, with Kubernetes' defaults (true, 15s, 10s, 2s). One set
/// per command: the controller manager and the scheduler of <c>kpf server</c> share it (each still
/// leads through its own Lease), so <see cref="AddTo"/> adds the flags once however often it is called.
/// </summary>
internal sealed class LeaderElectionFlags
{
    private readonly Option<bool> _enabled = new("--leader-elect")
    {
        Description = "Lead through a Lease in kube-system before running (for several instances, one active); false runs at once",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<TimeSpan?> _leaseDuration = FlagParts.Duration("--leader-elect-lease-duration",
        "How long a standby waits, after it last saw the leader renew, before it takes the lease", LeaderElectionConfig.DefaultLeaseDuration, allowZero: false);

    private readonly Option<TimeSpan?> _renewDeadline = FlagParts.Duration("--leader-elect-renew-deadline",
        "How long the leader keeps leading without a successful renewal; then it stops its work", LeaderElectionConfig.DefaultRenewDeadline, allowZero: false);

    private readonly Option<TimeSpan?> _retryPeriod = FlagParts.Duration("--leader-elect-retry-period",
        "How often candidates try to take the lease and the leader renews it", LeaderElectionConfig.DefaultRetryPeriod, allowZero: false);

    /// <summary>Adds the flags (once per command) and the rule between the durations.</summary>
    public void AddTo(Command command)
    {
        if (command.Options.Contains(_enabled))
        {
            return;
        }

        command.Options.Add(_enabled);
        command.Options.Add(_leaseDuration);
        command.Options.Add(_renewDeadline);
        command.Options.Add(_retryPeriod);
        command.Validators.Add(result =>
        {
            var settings = Read(result.GetValue(_enabled), result.GetValue(_leaseDuration), result.GetValue(_renewDeadline), result.GetValue(_retryPeriod));
            try
            {
                new LeaderElectionConfig { Namespace = "-", Name = "-", Identity = "-", LeaseDuration = settings.LeaseDuration, RenewDeadline = settings.RenewDeadline, RetryPeriod = settings.RetryPeriod }.Validate();
            }
            catch (ArgumentException e)
            {
                result.AddError($"--leader-elect-*: {e.Message}");
            }
        });
    }

    /// <summary>The settings of <paramref name="parse"/>.</summary>
    public LeaderElectionSettings Bind(ParseResult parse) =>
        Read(parse.GetValue(_enabled), parse.GetValue(_leaseDuration), parse.GetValue(_renewDeadline), parse.GetValue(_retryPeriod));

    private static LeaderElectionSettings Read(bool enabled, TimeSpan? leaseDuration, TimeSpan? renewDeadline, TimeSpan? retryPeriod) => new(
        enabled,
        leaseDuration ?? LeaderElectionConfig.DefaultLeaseDuration,
        renewDeadline ?? LeaderElectionConfig.DefaultRenewDeadline,
        retryPeriod ?? LeaderElectionConfig.DefaultRetryPeriod);
}
