using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client.LeaderElection;

// The lease itself: client-go's tryAcquireOrRenew and release, through get, create and update.
public sealed partial class LeaderElector
{
    /// <summary>
    /// Reads the lease and takes or renews it when it is free, expired or ours. True when this
    /// candidate now holds it; any failure (conflict, unreachable server, deadline) is a false.
    /// </summary>
    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken attempt, CancellationToken cancellationToken)
    {
        // The lease is ours from when the request leaves, not from when the answer comes back:
        // others count its duration from no earlier than that.
        var sent = _time.GetUtcNow();
        try
        {
            var current = await FindAsync(attempt).ConfigureAwait(false);
            if (current is null)
            {
                var created = await _client.CreateAsync(new Lease
                {
                    Metadata = new ObjectMeta { Name = _config.Name, Namespace = _config.Namespace },
                    Spec = Record(sent, acquireTime: sent, transitions: 0),
                }, attempt).ConfigureAwait(false);
                Held(created.Spec, sent);
                return true;
            }

            var old = current.Spec ?? new LeaseSpec();
            Observe(old);
            var holder = old.HolderIdentity;
            var ours = holder == _config.Identity;
            if (!string.IsNullOrEmpty(holder) && !ours && _observedTime + ObservedDuration(old) > _time.GetUtcNow())
            {
                return false;
            }

            // Renewing keeps the acquire time and the count; taking over counts a transition.
            current.Spec = ours
                ? Record(sent, old.AcquireTime ?? sent, old.LeaseTransitions ?? 0)
                : Record(sent, sent, (old.LeaseTransitions ?? 0) + 1);
            var updated = await _client.UpdateAsync(current, attempt).ConfigureAwait(false);
            Held(updated.Spec, sent);
            return true;
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or KubeDecodeException or OperationCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                Log.AttemptFailed(_logger, _config.Namespace, _config.Name, _config.Identity, e);
            }

            return false;
        }
    }

    /// <summary>Empties the holder (duration 1 s, transitions kept) so the next candidate takes over at once.</summary>
    private async Task ReleaseAsync()
    {
        using var deadline = new CancellationTokenSource(_config.RenewDeadline, _time);
        try
        {
            var current = await FindAsync(deadline.Token).ConfigureAwait(false);
            if (current?.Spec?.HolderIdentity != _config.Identity)
            {
                return;
            }

            var now = _time.GetUtcNow();
            current.Spec = new LeaseSpec
            {
                HolderIdentity = "",
                LeaseDurationSeconds = 1,
                AcquireTime = now,
                RenewTime = now,
                LeaseTransitions = current.Spec.LeaseTransitions ?? 0,
            };
            var released = await _client.UpdateAsync(current, deadline.Token).ConfigureAwait(false);
            Observe(released.Spec ?? new LeaseSpec());
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or KubeDecodeException or OperationCanceledException)
        {
            Log.ReleaseFailed(_logger, _config.Namespace, _config.Name, _config.Identity, e);
        }
    }

    private async Task<Lease?> FindAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetAsync<Lease>(_config.Namespace, _config.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private LeaseSpec Record(DateTimeOffset now, DateTimeOffset acquireTime, int transitions) => new()
    {
        HolderIdentity = _config.Identity,
        LeaseDurationSeconds = _leaseSeconds,
        AcquireTime = acquireTime,
        RenewTime = now,
        LeaseTransitions = transitions,
    };

    /// <summary>The lease is ours as written: lead until the renew deadline from when the request was sent.</summary>
    private void Held(LeaseSpec? spec, DateTimeOffset sent)
    {
        Observe(spec ?? new LeaseSpec());
        Volatile.Write(ref _leadingUntilTicks, (sent + _config.RenewDeadline).UtcTicks);
    }

    /// <summary>Records what the lease says; the observation time moves only when the lease changed.</summary>
    private void Observe(LeaseSpec spec)
    {
        if (_observed is null || !SameRecord(_observed, spec))
        {
            _observed = spec;
            _observedTime = _time.GetUtcNow();
        }

        ReportLeader(spec.HolderIdentity);
    }

    /// <summary>The holder's promise (its lease duration), or ours when the lease states none.</summary>
    private TimeSpan ObservedDuration(LeaseSpec spec) =>
        spec.LeaseDurationSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : _config.LeaseDuration;

    private static bool SameRecord(LeaseSpec a, LeaseSpec b) =>
        a.HolderIdentity == b.HolderIdentity
        && a.LeaseDurationSeconds == b.LeaseDurationSeconds
        && a.AcquireTime == b.AcquireTime
        && a.RenewTime == b.RenewTime
        && a.LeaseTransitions == b.LeaseTransitions;
}
