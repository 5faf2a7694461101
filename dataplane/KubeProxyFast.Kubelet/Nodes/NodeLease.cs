using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Client;
using Microsoft.Extensions.Logging;
using V1Node = KubeProxyFast.Api.Core.Node;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// The node's heartbeat Lease (Kubernetes' node lease controller): <c>kube-node-lease/&lt;node&gt;</c>,
/// holder the node, <c>leaseDurationSeconds</c> from the options, <c>renewTime</c> written every
/// renew interval, owned by the Node (so it goes when the Node is deleted). Created when missing;
/// renewed with the last version written (a conflict re-reads it); a failed renewal is retried at
/// 200 ms doubling to 7 s, then the interval resumes. The node lifecycle controller counts each new
/// renewTime as a sign of life.
/// </summary>
public sealed class NodeLease : IAsyncDisposable
{
    /// <summary>Where node Leases live.</summary>
    public const string Namespace = "kube-node-lease";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(7);

    private readonly KubeClient _client;
    private readonly string _nodeName;
    private readonly int _durationSeconds;
    private readonly TimeSpan _renewInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Lease? _latest;
    private Task? _loop;
    private long _renewals;

    /// <summary>The Lease of <paramref name="nodeName"/>, renewed every <paramref name="renewInterval"/> once started.</summary>
    public NodeLease(KubeClient client, string nodeName, int durationSeconds, TimeSpan renewInterval, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        ArgumentOutOfRangeException.ThrowIfLessThan(durationSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(renewInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _nodeName = nodeName;
        _durationSeconds = durationSeconds;
        _renewInterval = renewInterval;
        _time = time;
        _logger = logger;
    }

    /// <summary>Successful renewals (creations included) so far.</summary>
    public long Renewals => Interlocked.Read(ref _renewals);

    /// <summary>Starts renewing: at once, then every renew interval, until disposed.</summary>
    public void Start() => _loop ??= Task.Run(() => LoopAsync(_stop.Token));

    /// <summary>
    /// Creates or renews the Lease once; returns it as stored.
    /// </summary>
    /// <exception cref="KubeApiException">The apiserver refused.</exception>
    /// <exception cref="KubeConnectionException">The apiserver is unreachable.</exception>
    public async Task<Lease> RenewOnceAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var lease = _latest ?? await FindAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var written = lease is null
                    ? await CreateAsync(cancellationToken).ConfigureAwait(false)
                    : await RenewAsync(lease, cancellationToken).ConfigureAwait(false);
                _latest = written;
                Interlocked.Increment(ref _renewals);
                return written;
            }
            catch (KubeApiException e) when ((e.IsConflict || e.IsAlreadyExists || e.IsNotFound) && attempt < 3)
            {
                // Someone else wrote it (or deleted it) since: start again from what is stored.
                _latest = null;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await RenewOnceAsync(cancellationToken).ConfigureAwait(false);
                retry = FirstRetry;
                wait = _renewInterval;
            }
            catch (Exception e) when (e is KubeApiException or KubeConnectionException or HttpRequestException or KubeDecodeException or TimeoutException
                && !cancellationToken.IsCancellationRequested)
            {
                NodeLog.LeaseRenewFailed(_logger, _nodeName, retry, e);
                _latest = null;
                wait = retry < _renewInterval ? retry : _renewInterval;
                retry = retry * 2 < LongestRetry ? retry * 2 : LongestRetry;
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Lease?> FindAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetAsync<Lease>(Namespace, _nodeName, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private async Task<Lease> CreateAsync(CancellationToken cancellationToken)
    {
        var lease = new Lease
        {
            Metadata = new ObjectMeta
            {
                Name = _nodeName,
                Namespace = Namespace,
                OwnerReferences = await OwnerAsync(cancellationToken).ConfigureAwait(false),
            },
            Spec = Spec(null),
        };
        return await _client.CreateAsync(lease, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Lease> RenewAsync(Lease lease, CancellationToken cancellationToken)
    {
        lease.Spec = Spec(lease.Spec);
        // A Lease made before its Node existed gets its owner once the Node is there, as Kubernetes.
        if (lease.Metadata.OwnerReferences is not { Count: > 0 })
        {
            lease.Metadata.OwnerReferences = await OwnerAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _client.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
    }

    private LeaseSpec Spec(LeaseSpec? old) => new()
    {
        HolderIdentity = _nodeName,
        LeaseDurationSeconds = _durationSeconds,
        RenewTime = _time.GetUtcNow(),
        AcquireTime = old?.AcquireTime,
        LeaseTransitions = old?.LeaseTransitions,
    };

    /// <summary>The Node as the Lease's owner; null while the Node does not exist.</summary>
    private async Task<List<OwnerReference>?> OwnerAsync(CancellationToken cancellationToken)
    {
        try
        {
            var node = await _client.GetAsync<V1Node>(null, _nodeName, cancellationToken).ConfigureAwait(false);
            return node.Metadata.Uid is { Length: > 0 } uid
                ? [new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = _nodeName, Uid = uid }]
                : null;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
