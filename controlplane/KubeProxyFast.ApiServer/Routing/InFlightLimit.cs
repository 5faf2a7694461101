using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using KubeProxyFast.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Routing;

/// <summary>
/// kube-apiserver's <c>--max-requests-inflight</c> and <c>--max-mutating-requests-inflight</c>:
/// resource requests served at once, reads and writes counted apart; one more is answered 429
/// with Retry-After. Each request can hold several times its 3 MiB body while it is decoded (a
/// YAML tree, a patch), so the count bounds the memory that many parallel requests can take.
/// Long-running requests (watches, proxied requests) are not counted, as in Kubernetes; the proxy
/// has its own limit.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "Requests running past shutdown release their slot in a finally; a SemaphoreSlim whose wait handle is never asked for holds nothing to dispose.")]
internal sealed class InFlightLimit
{
    private const int RetryAfterSeconds = 1;

    private readonly SemaphoreSlim _reads;
    private readonly SemaphoreSlim _writes;

    public InFlightLimit(int maxReads, int maxWrites)
    {
        _reads = new SemaphoreSlim(maxReads, maxReads);
        _writes = new SemaphoreSlim(maxWrites, maxWrites);
    }

    /// <summary>
    /// Takes a slot for a request of <paramref name="verb"/>, or none for a long-running one; the
    /// caller releases what it got, once. Never disposed: a request still running at shutdown
    /// releases in its finally.
    /// </summary>
    /// <exception cref="StatusException">429 when every slot of its kind is taken.</exception>
    public SemaphoreSlim? Enter(HttpContext http, string verb, bool proxy)
    {
        if (verb == "WATCH" || proxy)
        {
            return null;
        }

        var slots = verb is "POST" or "PUT" or "PATCH" or "DELETE" ? _writes : _reads;
        if (!slots.Wait(0))
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            throw StatusErrors.TooManyRequests(RetryAfterSeconds);
        }

        return slots;
    }
}
