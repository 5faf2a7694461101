using System.Net;
using KubeProxyFast.ApiServer.Allocation;

namespace KubeProxyFast.ApiServer;

/// <summary>How the apiserver listens and what it allocates from.</summary>
public sealed record ApiServerOptions
{
    /// <summary>Kubernetes' limit on request bodies: 3 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 3 * 1024 * 1024;

    /// <summary>
    /// The largest object the server stores, as its stored JSON: etcd's default request limit
    /// (<c>--max-request-bytes</c>, 1.5 MiB = 1,572,864 bytes) less 64 KiB for the rest of the
    /// transaction that carries it (the key, its condition, a service's allocation keys), so that
    /// etcd never refuses a write the API accepted. Kubernetes stores protobuf and lets etcd's
    /// limit answer; this server stores JSON and answers 413 itself, before anything reaches the store.
    /// </summary>
    public const long DefaultMaxObjectBytes = (1536 - 64) * 1024;

    /// <summary>
    /// The address to listen on. Without <see cref="Security"/> only loopback addresses are
    /// allowed: anyone who can reach a plain-HTTP port is cluster admin.
    /// </summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// TLS, authentication and authorization (<see cref="Security.ApiServerSecurity"/>); null serves
    /// plain HTTP on a loopback <see cref="BindAddress"/>, where every request is cluster admin.
    /// </summary>
    public Security.ApiServerSecurity? Security { get; init; }

    /// <summary>
    /// <c>--advertise-address</c>: the address published in the <c>kubernetes</c> Service's Endpoints;
    /// null takes the bind address, or the host's first non-loopback IPv4 address when that is a wildcard.
    /// </summary>
    public IPAddress? AdvertiseAddress { get; init; }

    /// <summary>The port; 0 picks a free one (see <see cref="ApiServerHost.Url"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary><c>--service-cluster-ip-range</c>: where cluster IPs come from (the seed's 10.0.0.0/16).</summary>
    public string ServiceClusterIpRange { get; init; } = "10.0.0.0/16";

    /// <summary><c>--service-node-port-range</c>.</summary>
    public string ServiceNodePortRange { get; init; } = "30000-32767";

    /// <summary>Bodies larger than this are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// Objects whose stored JSON is larger than this are refused with 413, after decoding, patching
    /// and defaulting, for every write (create, update, patch, status, scale, binding).
    /// </summary>
    public long MaxObjectBytes { get; init; } = DefaultMaxObjectBytes;

    /// <summary>
    /// <c>--cors-allowed-origins</c>: regular expressions, each pinned to the start and end of the
    /// origin's host as Kubernetes requires. A request whose <c>Origin</c> header matches none is
    /// refused with 403 (Kubernetes lets it through without CORS headers and relies on
    /// authentication, which this server does not have yet); empty by default, so no web page can
    /// drive the API.
    /// </summary>
    public IReadOnlyList<string> CorsAllowedOrigins { get; init; } = [];

    /// <summary>How long a watch without <c>timeoutSeconds</c> runs before the server ends it (clients re-watch).</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Bytes of recent changes each resource's watch cache keeps (values and previous values),
    /// besides its limit of 4096 changes. Watches from further back read the store's history, and
    /// a watcher that falls further behind is ended (it re-watches). 64 MiB holds the 4096 changes
    /// of 8 KB objects, or about 22 updates of objects at the object limit (each change holds the
    /// value and the previous value).
    /// </summary>
    public long WatchCacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How often a watch that asked for bookmarks gets one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often this server renews its lease and checks the <c>kubernetes</c> Service and
    /// Endpoints in <c>default</c> (kube-apiserver's <c>--endpoint-reconciler-type=lease</c>: 10 s).
    /// </summary>
    public TimeSpan EndpointReconcileInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a server's lease lasts unrenewed: a stopped server leaves the Endpoints after it (Kubernetes: 15 s).</summary>
    public TimeSpan ApiServerLeaseTtl { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the store's history is compacted (as kube-apiserver's 5 minute default).</summary>
    public TimeSpan CompactionInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long events are kept after their last write (kube-apiserver's <c>--event-ttl</c>, 1 h):
    /// each write attaches the event to a store lease, reused for a while as Kubernetes' lease
    /// manager does, so an event lives at least this long and at most a minute more.
    /// </summary>
    public TimeSpan EventTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Proxy subresource requests served at once; more are answered 429 with Retry-After. Each
    /// holds two sockets (client and target) for as long as the target takes: 100 is 200 of the
    /// 20,000 open files of a default Debian host, where 40 self-proxied chains used them all.
    /// </summary>
    public int MaxProxyRequestsInFlight { get; init; } = 100;

    /// <summary>
    /// Reads (get, list) served at once, as kube-apiserver's <c>--max-requests-inflight</c> (400);
    /// more are answered 429 with Retry-After. Watches and proxied requests are not counted.
    /// </summary>
    public int MaxRequestsInFlight { get; init; } = 400;

    /// <summary>
    /// Writes (create, update, patch, delete) served at once, as kube-apiserver's
    /// <c>--max-mutating-requests-inflight</c> (200); more are answered 429 with Retry-After. Each
    /// may hold several times its body while decoding it, so this bounds what parallel writes cost.
    /// </summary>
    public int MaxMutatingRequestsInFlight { get; init; } = 200;

    /// <summary>
    /// Encryption at rest (<c>--encryption-provider-config</c>): the providers each resource's stored
    /// values go through; null stores every value as it is.
    /// </summary>
    public Registry.Encryption.StorageEncryption? Encryption { get; init; }

    /// <summary>The clock (tests move it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Checks the ranges, the allowed origins and the limits.</summary>
    /// <exception cref="ArgumentException">A range or an origin pattern does not parse, or a limit is not positive; the message names it.</exception>
    public static void Validate(ApiServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxObjectBytes <= 0)
        {
            throw new ArgumentException($"the object size limit must be positive, not {options.MaxObjectBytes}", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxProxyRequestsInFlight, nameof(options.MaxProxyRequestsInFlight));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRequestsInFlight, nameof(options.MaxRequestsInFlight));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMutatingRequestsInFlight, nameof(options.MaxMutatingRequestsInFlight));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.WatchCacheBytes, nameof(options.WatchCacheBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.EventTtl, TimeSpan.Zero, nameof(options.EventTtl));
        try
        {
            _ = options.ParsedIpRange();
            _ = options.ParsedNodePortRange();
            _ = Filters.CorsPolicy.Parse(options.CorsAllowedOrigins);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(options), e);
        }
    }

    internal ServiceIpRange ParsedIpRange() => ServiceIpRange.Parse(ServiceClusterIpRange);

    internal NodePortRange ParsedNodePortRange() => NodePortRange.Parse(ServiceNodePortRange);
}
