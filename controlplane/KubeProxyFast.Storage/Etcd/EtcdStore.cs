using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace KubeProxyFast.Storage.Etcd;

/// <summary>
/// The store on a real etcd (3.4 or later) through dotnet-etcd's gRPC connection: conditions are
/// compares on mod revision, lists are ranges, watches are etcd watches with <c>prev_kv</c>. Every
/// call has a deadline, so a dead etcd costs a request at most <see cref="RequestTimeout"/>, and
/// the channel keeps reconnecting, so the same instance works again once etcd is back.
/// </summary>
public sealed partial class EtcdStore : IStore
{
    private static readonly StoreListOptions AllItems = new();

    private readonly EtcdClient _client;
    private readonly KV.KVClient _kv;
    private readonly Watch.WatchClient _watch;
    private readonly Lease.LeaseClient _lease;

    /// <param name="endpoints">etcd's client URLs, comma-separated, as kube-apiserver's <c>--etcd-servers</c> (e.g. <c>http://127.0.0.1:2379</c>).</param>
    /// <param name="requestTimeout">The deadline of each call but watches; 5 seconds by default.</param>
    /// <param name="tls">
    /// The CA and client certificate for <c>https://</c> endpoints (null: the machine's trust store, no
    /// client certificate); the endpoints are then all https.
    /// </param>
    /// <exception cref="ArgumentException">Endpoints that mix http and https, or TLS settings for http endpoints.</exception>
    public EtcdStore(string endpoints, TimeSpan? requestTimeout = null, EtcdTls? tls = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoints);
        Endpoints = endpoints;
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5);
        var secure = EtcdEndpoints.Parse(endpoints, tls is not null, out var hosts);
        // The channel's target name (its TLS server name): the first endpoint's host.
        var target = hosts[0].Contains(':', StringComparison.Ordinal) ? $"[{hosts[0]}]" : hosts[0];
        _client = new EtcdClient(endpoints, serverName: target, configureChannelOptions: options =>
        {
            if (secure)
            {
                // dotnet-etcd dials the endpoints through a static resolver whose scheme comes from
                // the channel credentials alone; its handler is a SocketsHttpHandler (keep-alive
                // pings set), which gets our trust and client certificate.
                options.Credentials = ChannelCredentials.SecureSsl;
                ((SocketsHttpHandler)options.HttpHandler!).SslOptions = (tls ?? new EtcdTls()).ClientOptions(hosts);
            }

            // dotnet-etcd's default retries Unavailable up to 5 times with backoff of up to 5 s,
            // which outlasts the deadline and would replay writes; the apiserver answers 503 and
            // the client retries instead. Round robin over the endpoints stays.
            options.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
            // gRPC's reconnect backoff grows to 120 s by default: etcd back after a restart would
            // stay unreachable for minutes.
            options.InitialReconnectBackoff = TimeSpan.FromMilliseconds(100);
            options.MaxReconnectBackoff = TimeSpan.FromSeconds(1);
            // A list of 10,000 pods is a 5 MB range response, over gRPC's default 4 MB limit;
            // kube-apiserver lifts the limit likewise (math.MaxInt32). etcd bounds requests itself.
            options.MaxReceiveMessageSize = null;
        });
        var connection = _client.GetConnection();
        _kv = connection.KVClient;
        _watch = connection.WatchClient;
        _lease = connection.LeaseClient;
    }

    /// <summary>The etcd endpoints, as given.</summary>
    public string Endpoints { get; }

    /// <summary>The deadline of each unary call.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <inheritdoc/>
    public async Task<StoreValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var response = await CallAsync(
            options => _kv.RangeAsync(new RangeRequest { Key = EtcdKeys.Key(key) }, options),
            write: false,
            revision: 0,
            cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? null : EtcdKeys.ToStoreValue(response.Kvs[0]);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The revision is in the future.</exception>
    public async Task<StoreList> ListAsync(string prefix, StoreListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        options ??= AllItems;
        ArgumentOutOfRangeException.ThrowIfNegative(options.Limit);
        // "\0" is the smallest suffix, so key + "\0" is the first key strictly after it.
        var start = options.StartAfter is { } after && string.CompareOrdinal(after, prefix) >= 0 ? after + "\0" : prefix;
        var request = new RangeRequest
        {
            Key = EtcdKeys.Key(start),
            RangeEnd = EtcdKeys.PrefixEnd(prefix),
            Limit = options.Limit,
            Revision = options.Revision,
        };
        RangeResponse response;
        try
        {
            response = await CallAsync(o => _kv.RangeAsync(request, o), write: false, options.Revision, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreCompactedException e)
        {
            throw new StoreCompactedException(options.Revision, await CompactRevisionAsync(options.Revision, cancellationToken).ConfigureAwait(false), e.InnerException);
        }

        var items = new StoreValue[response.Kvs.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = EtcdKeys.ToStoreValue(response.Kvs[i]);
        }

        // etcd's count is every key in the range, the limit notwithstanding.
        return new StoreList(items, options.Revision != 0 ? options.Revision : response.Header.Revision, response.Count - items.Length);
    }

    /// <inheritdoc/>
    public async Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var seconds = LeaseSeconds.Of(ttl);
        var response = await CallAsync(o => _lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds }, o), write: true, revision: 0, cancellationToken).ConfigureAwait(false);
        return response.ID;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Physical: the call returns once etcd has removed the compacted revisions from its backend.
    /// Until then a watch from the compaction revision may still see a delete at that revision
    /// that it will not see afterwards (etcd drops the tombstone), so answers would depend on timing.
    /// </remarks>
    public async Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        try
        {
            await CallAsync(o => _kv.CompactAsync(new CompactionRequest { Revision = revision, Physical = true }, o), write: false, revision, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreCompactedException)
        {
            // Compacted there already (by us or another apiserver): what was asked for holds.
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs one unary call with the deadline, turning gRPC failures into the contract's.</summary>
    private async Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, bool write, long revision, CancellationToken cancellationToken)
    {
        try
        {
            return await call(new CallOptions(deadline: DateTime.UtcNow + RequestTimeout, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e) when (EtcdErrors.Map(e, Endpoints, write, revision) is { } mapped)
        {
            throw mapped;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // A connection dropped under the call (gRPC reports it as a cancellation).
            throw EtcdErrors.Lost(Endpoints, write, e);
        }
    }
}
