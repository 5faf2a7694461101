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

    private static bool IsConnectFailure(RpcException e) =>
        e.Status.DebugException is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } }
        || e.Status.DebugException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
}
