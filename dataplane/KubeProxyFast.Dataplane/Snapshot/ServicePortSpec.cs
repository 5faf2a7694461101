using System.Collections.Immutable;
using System.Net;

namespace KubeProxyFast.Dataplane.Snapshot;

/// <summary>
/// The desired state of one service port: where it is reached (cluster IP, node port, external
/// IPs), how clients stick, and the endpoints to balance over. Immutable, with value equality
/// (arrays compared element-wise) so that a change tracker can tell a no-op update from a real one.
/// </summary>
public sealed record ServicePortSpec
{
    /// <summary>Which service port this is.</summary>
    public required ServicePortId Id { get; init; }

    /// <summary>TCP or UDP.</summary>
    public required L4Protocol Protocol { get; init; }

    /// <summary>The virtual IP; <see cref="IPAddress.None"/> for a headless service (no proxying).</summary>
    public required IPAddress ClusterIP { get; init; }

    /// <summary>The port on the cluster IP.</summary>
    public required int Port { get; init; }

    /// <summary>The port on every node address, for NodePort and LoadBalancer services.</summary>
    public int? NodePort { get; init; }

    /// <summary>Extra addresses on which the service port also answers.</summary>
    public ImmutableArray<IPAddress> ExternalIPs { get; init; } = [];

    /// <summary>Session affinity.</summary>
    public SessionAffinity Affinity { get; init; } = SessionAffinity.None;

    /// <summary>Ready endpoints (pod IP and target port), sorted; empty means new connections are refused.</summary>
    public ImmutableArray<IPEndPoint> Endpoints { get; init; } = [];

    /// <inheritdoc/>
    public bool Equals(ServicePortSpec? other) =>
        other is not null &&
        Id == other.Id &&
        Protocol == other.Protocol &&
        ClusterIP.Equals(other.ClusterIP) &&
        Port == other.Port &&
        NodePort == other.NodePort &&
        Affinity == other.Affinity &&
        ExternalIPs.AsSpan().SequenceEqual(other.ExternalIPs.AsSpan()) &&
        Endpoints.AsSpan().SequenceEqual(other.Endpoints.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Protocol, ClusterIP, Port, NodePort, Endpoints.Length);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Id} {Protocol} {ClusterIP}:{Port}{(NodePort is { } np ? $" nodePort {np}" : "")} affinity {Affinity} endpoints [{string.Join(", ", Endpoints)}]";
}
