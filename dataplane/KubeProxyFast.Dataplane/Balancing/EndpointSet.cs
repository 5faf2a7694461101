using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>
/// The endpoints of one service port, in order, as the engine balances over them. Immutable: when
/// endpoints change the engine builds a new set and swaps it into a <c>volatile</c> field, so new
/// connections see it at once and readers take no lock.
/// </summary>
/// <remarks>
/// Affinity entries remember a <see cref="BackendEndpoint"/> from whatever set was current when they
/// were made; <see cref="TryFind(BackendEndpoint, out BackendEndpoint)"/> answers "is it still here"
/// with one reference comparison when the instance is this set's, and with a hash lookup otherwise.
/// Building a set from its predecessor keeps the instances of endpoints whose position did not
/// change (all of them when an endpoint is appended, those before it when one is removed), and an
/// affinity hit on a moved endpoint stores this set's instance, so the slower lookup happens once per
/// client after a change.
/// </remarks>
public sealed class EndpointSet
{
    // Up to this many endpoints TryFind scans with IPEndPoint.Equals; above it, a dictionary built
    // once per endpoints change keeps the lookup O(1). The limit is a judgement, not a measurement:
    // the reference-comparison fast path makes this lookup rare (once per client after a change).
    private const int LinearScanLimit = 8;

    private readonly BackendEndpoint[] _endpoints;
    private readonly Dictionary<IPEndPoint, BackendEndpoint>? _byEndPoint;

    /// <summary>Builds a set from <paramref name="endpoints"/>, keeping their order.</summary>
    /// <param name="endpoints">The endpoints, each once.</param>
    /// <param name="previous">
    /// The set this one replaces, if any: endpoints at the same index in both reuse its instances.
    /// </param>
    /// <exception cref="ArgumentException">An endpoint is null or appears twice.</exception>
    public EndpointSet(ImmutableArray<IPEndPoint> endpoints, EndpointSet? previous = null)
    {
        if (endpoints.IsDefaultOrEmpty)
        {
            _endpoints = [];
            return;
        }

        var built = new BackendEndpoint[endpoints.Length];
        var index = endpoints.Length > LinearScanLimit
            ? new Dictionary<IPEndPoint, BackendEndpoint>(endpoints.Length)
            : null;
        for (var i = 0; i < built.Length; i++)
        {
            var endPoint = endpoints[i] ?? throw new ArgumentException($"endpoint {i} is null", nameof(endpoints));
            var reused = previous is not null && i < previous._endpoints.Length && previous._endpoints[i].EndPoint.Equals(endPoint)
                ? previous._endpoints[i]
                : null;
            built[i] = reused ?? new BackendEndpoint(endPoint, i);
            if (index is not null ? !index.TryAdd(endPoint, built[i]) : IndexOfLinear(built, i, endPoint) >= 0)
            {
                throw new ArgumentException($"endpoint {endPoint} appears twice in the set", nameof(endpoints));
            }
        }

        _endpoints = built;
        _byEndPoint = index;
    }

    /// <summary>The set with no endpoints.</summary>
    public static EndpointSet Empty { get; } = new([]);

    /// <summary>How many endpoints there are.</summary>
    public int Count => _endpoints.Length;

    /// <summary>True when there are no endpoints: new connections are refused.</summary>
    public bool IsEmpty => _endpoints.Length == 0;

    /// <summary>The endpoint at <paramref name="index"/>.</summary>
    public BackendEndpoint this[int index] => _endpoints[index];

    /// <summary>The endpoints in order.</summary>
    public ReadOnlySpan<BackendEndpoint> AsSpan() => _endpoints;

    /// <summary>Finds this set's endpoint for <paramref name="endPoint"/>; no allocation.</summary>
    public bool TryFind(IPEndPoint endPoint, [NotNullWhen(true)] out BackendEndpoint? found)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (_byEndPoint is not null)
        {
            return _byEndPoint.TryGetValue(endPoint, out found);
        }

        var i = IndexOfLinear(_endpoints, _endpoints.Length, endPoint);
        found = i >= 0 ? _endpoints[i] : null;
        return found is not null;
    }

    /// <summary>
    /// Finds this set's instance of <paramref name="endpoint"/>, which may come from another set:
    /// one reference comparison when it is already this set's, a lookup by address otherwise.
    /// </summary>
    public bool TryFind(BackendEndpoint endpoint, [NotNullWhen(true)] out BackendEndpoint? found)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var i = endpoint.Index;
        if ((uint)i < (uint)_endpoints.Length && ReferenceEquals(_endpoints[i], endpoint))
        {
            found = endpoint;
            return true;
        }

        return TryFind(endpoint.EndPoint, out found);
    }

    private static int IndexOfLinear(BackendEndpoint[] endpoints, int count, IPEndPoint endPoint)
    {
        for (var i = 0; i < count; i++)
        {
            if (endpoints[i].EndPoint.Equals(endPoint))
            {
                return i;
            }
        }

        return -1;
    }
}
