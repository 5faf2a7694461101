using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using KubeProxyFast.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Routing;

/// <summary>
/// A count of requests served at once, as kube-apiserver's max-in-flight filter: one more than it
/// holds is answered 429 with Retry-After (try again in a second). The pipeline keeps one for
/// reads (<c>--max-requests-inflight</c>) and one for writes (<c>--max-mutating-requests-inflight</c>):
/// a request can hold several times its 3 MiB body while it is decoded, so the count bounds what
/// parallel requests cost. The proxy subresources keep their own.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "Requests running past shutdown release their slot when they end; a SemaphoreSlim whose wait handle is never asked for holds nothing to dispose.")]
internal sealed class RequestSlots
{
    private const int RetryAfterSeconds = 1;

    private readonly SemaphoreSlim _slots;

    public RequestSlots(int count) => _slots = new SemaphoreSlim(count, count);

    /// <summary>Takes a slot for the request; disposing the result gives it back, once.</summary>
    /// <exception cref="StatusException">429 when every slot is taken.</exception>
    public Slot Enter(HttpContext http)
    {
        if (!_slots.Wait(0))
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            throw StatusErrors.TooManyRequests(RetryAfterSeconds);
        }

        return new Slot(_slots);
    }

    /// <summary>A slot held by one request.</summary>
    public readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        /// <summary>Gives the slot back.</summary>
        public void Dispose() => slots?.Release();
    }
}
