using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using KubeProxyFast.Kubelet.Cri.V1;

namespace KubeProxyFast.Kubelet.Cri;

/// <summary>
/// One gRPC channel to a CRI runtime over its unix socket (HTTP/2 without TLS, as the kubelet
/// speaks it), with the runtime and image services on it. <see cref="CheckAsync"/> is the start-up
/// gate: it fails with a message naming the socket when nothing answers, and names the versions
/// when the runtime does not speak <c>runtime.v1</c>.
/// </summary>
public sealed class CriConnection : IDisposable
{
    /// <summary>The CRI API version we speak.</summary>
    public const string ApiVersion = "v1";

    private readonly GrpcChannel _channel;

    private CriConnection(string socketPath, GrpcChannel channel)
    {
        SocketPath = socketPath;
        _channel = channel;
        Runtime = new RuntimeService.RuntimeServiceClient(channel);
        Images = new ImageService.ImageServiceClient(channel);
    }

    /// <summary>Path of the runtime's socket.</summary>
    public string SocketPath { get; }

    /// <summary>Pod sandboxes, containers, exec, status.</summary>
    public RuntimeService.RuntimeServiceClient Runtime { get; }

    /// <summary>Image status, pull, list, removal.</summary>
    public ImageService.ImageServiceClient Images { get; }

    /// <summary>
    /// A connection to <paramref name="endpoint"/>: <c>unix:///path</c> (the kubelet's flag form) or
    /// a plain path. Nothing is dialled until the first call.
    /// </summary>
    public static CriConnection Open(string endpoint)
    {
        var socketPath = SocketPathOf(endpoint);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            // The runtime is local: a dead connection shows at once, and streams are long-lived.
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            EnableMultipleHttp2Connections = true,
        };
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            // Image lists and status with many containers exceed gRPC's 4 MB default, as in the kubelet.
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        return new CriConnection(socketPath, channel);
    }

    /// <summary>The socket path of a <c>unix://</c> endpoint or a bare path; other schemes are refused.</summary>
    public static string SocketPathOf(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        if (endpoint.StartsWith("unix://", StringComparison.Ordinal))
        {
            return endpoint["unix://".Length..];
        }
        if (endpoint.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"container runtime endpoint {endpoint}: only unix:// sockets are supported", nameof(endpoint));
        }
        return endpoint;
    }

    /// <summary>
    /// Asks the runtime its version and status; throws <see cref="CriUnavailableException"/> naming
    /// the socket when it does not answer within <paramref name="timeout"/>, or naming the versions
    /// when it does not speak <see cref="ApiVersion"/>.
    /// </summary>
    public async Task<VersionResponse> CheckAsync(TimeSpan timeout, CancellationToken ct)
    {
        VersionResponse version;
        try
        {
            version = await Runtime.VersionAsync(new VersionRequest { Version = ApiVersion }, deadline: DateTime.UtcNow + timeout, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            throw new CriUnavailableException($"container runtime at {SocketPath} does not serve CRI runtime.v1 (too old? containerd 1.6 or newer is needed): {e.Status.Detail}", e);
        }
        catch (RpcException e)
        {
            throw new CriUnavailableException($"container runtime at {SocketPath} is not answering: {e.Status.StatusCode}: {e.Status.Detail}", e);
        }
        if (version.RuntimeApiVersion != ApiVersion)
        {
            throw new CriUnavailableException($"container runtime {version.RuntimeName} {version.RuntimeVersion} at {SocketPath} speaks CRI {version.RuntimeApiVersion}, not {ApiVersion}");
        }
        return version;
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();
}
