using System.Net;
using KubeProxyFast.Linux.Interop;

namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>
/// One endpoint of a service port as the engine connects to it: the <see cref="IPEndPoint"/> and
/// its native <c>sockaddr</c>, encoded once when the <see cref="EndpointSet"/> is built so that
/// <c>connect(2)</c> needs no allocation or marshalling per connection. Two endpoints are equal
/// when their <see cref="EndPoint"/>s are, whatever set or index they belong to.
/// </summary>
public sealed class BackendEndpoint : IEquatable<BackendEndpoint>
{
    private readonly byte[] _socketAddress;

    internal BackendEndpoint(IPEndPoint endPoint, int index)
    {
        EndPoint = endPoint;
        Index = index;
        _socketAddress = SocketAddressLayout.Encode(endPoint);
    }

    /// <summary>The endpoint's address and port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The position of this endpoint in the <see cref="EndpointSet"/> that made it.</summary>
    public int Index { get; }

    /// <summary>
    /// The Linux <c>struct sockaddr_in</c> (16 bytes) or <c>struct sockaddr_in6</c> (28 bytes) for
    /// <see cref="EndPoint"/>: family in host order, port and address in network order.
    /// </summary>
    public ReadOnlySpan<byte> SocketAddress => _socketAddress;

    /// <summary>The length of <see cref="SocketAddress"/>, the <c>addrlen</c> argument of <c>connect(2)</c>.</summary>
    public int SocketAddressLength => _socketAddress.Length;

    /// <inheritdoc/>
    public bool Equals(BackendEndpoint? other) =>
        other is not null && (ReferenceEquals(this, other) || EndPoint.Equals(other.EndPoint));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BackendEndpoint);

    /// <inheritdoc/>
    public override int GetHashCode() => EndPoint.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => EndPoint.ToString();
}
