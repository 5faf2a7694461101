using System.Net.Sockets;
using Grpc.Core;

namespace KubeProxyFast.Storage.Etcd;

/// <summary>What an etcd or gRPC failure means for the contract.</summary>
internal static class EtcdErrors
{
    /// <summary>
    /// The contract's exception for <paramref name="e"/>, or null when it is none of the store's
    /// (the caller rethrows it). <paramref name="write"/>: whether a write was sent, so a lost
    /// answer leaves its outcome unknown.
    /// </summary>
    public static Exception? Map(RpcException e, string endpoints, bool write, long requestedRevision = 0)
    {
        switch (e.StatusCode)
        {
            case StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted:
                // Refused connections never carried the request; anything else (a deadline, a
                // dropped connection) may have reached etcd after all.
                var unknown = write && !IsConnectFailure(e);
                if (TlsFailure(e, endpoints) is { } tls)
                {
                    // Never connected: nothing was sent.
                    return new StoreUnavailableException($"etcd at {endpoints} is unavailable: {tls}", outcomeUnknown: false, e);
                }

                return new StoreUnavailableException(
                    $"etcd at {endpoints} is unavailable ({e.StatusCode}: {e.Status.Detail})" + (unknown ? "; the write may or may not have been committed" : ""),
                    unknown,
                    e);
            // etcd refuses a request over --max-request-bytes (1.5 MiB by default) with
            // "etcdserver: request is too large"; gRPC refuses one over that plus 512 KiB before
            // etcd sees it ("grpc: received message larger than max"). Neither wrote anything.
            // Other ResourceExhausted answers (no space, too many requests) are not about size.
            case StatusCode.InvalidArgument when e.Status.Detail.Contains("request is too large", StringComparison.Ordinal):
            case StatusCode.ResourceExhausted when e.Status.Detail.Contains("larger than max", StringComparison.Ordinal):
                return new StoreRequestTooLargeException($"request is too large: etcd at {endpoints} refused it ({e.StatusCode}: {e.Status.Detail})", inner: e);
            case StatusCode.OutOfRange when e.Status.Detail.Contains("compacted", StringComparison.Ordinal):
                return new StoreCompactedException(requestedRevision, 0, e);
            case StatusCode.NotFound when e.Status.Detail.Contains("lease not found", StringComparison.Ordinal):
                return new ArgumentException($"etcd at {endpoints}: {e.Status.Detail}");
            case StatusCode.OutOfRange when e.Status.Detail.Contains("future revision", StringComparison.Ordinal):
                return new ArgumentOutOfRangeException(nameof(requestedRevision), requestedRevision, $"etcd at {endpoints}: {e.Status.Detail}");
            default:
                return null;
        }
    }

    /// <summary>A call or stream whose connection went away under it.</summary>
    public static StoreUnavailableException Lost(string endpoints, bool write, Exception inner) =>
        new($"etcd at {endpoints} is unavailable: the connection was lost" + (write ? "; the write may or may not have been committed" : ""), write, inner);

    // What went wrong in a TLS connection, in the operator's terms, or null when it was not TLS.
    private static string? TlsFailure(RpcException e, string endpoints)
    {
        if (!endpoints.TrimStart().StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var http2NotStarted = false;
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException authentication)
            {
                return $"the TLS handshake failed ({authentication.Message}); etcd's serving certificate must chain to --etcd-cafile and name the endpoint";
            }

            http2NotStarted |= inner is IOException && inner.Message.Contains("HTTP/2 handshake", StringComparison.Ordinal);
        }

        // With TLS 1.3 the server judges the client certificate after the client has finished its
        // side of the handshake, so etcd's refusal (--client-cert-auth) reaches the client as the
        // TLS connection closed or failing before HTTP/2 starts, not as a handshake error.
        return http2NotStarted
            ? "etcd closed the TLS connection right after the handshake, as it does when it refuses the client certificate; --etcd-certfile/--etcd-keyfile must hold one from etcd's --trusted-ca-file"
            : null;
    }

    private static bool IsConnectFailure(RpcException e) =>
        e.Status.DebugException is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } }
        || e.Status.DebugException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
}
