using System.Text.Json.Serialization;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Coordination;

/// <summary>coordination.k8s.io/v1 Lease: a lease held by one holder, renewed to keep it (leader election, node heartbeats).</summary>
public sealed class Lease : KubeObject
{
    /// <summary>The lease itself; Leases have no status.</summary>
    public LeaseSpec? Spec { get; set; }
}

/// <summary>coordination.k8s.io/v1 LeaseList.</summary>
public sealed class LeaseList : KubeList<Lease>;

/// <summary>coordination.k8s.io/v1 LeaseSpec.</summary>
public sealed class LeaseSpec : Extensible
{
    /// <summary>The identity of the current holder; empty or absent when nobody holds it.</summary>
    public string? HolderIdentity { get; set; }

    /// <summary>How long candidates wait after <see cref="RenewTime"/> before they may take the lease.</summary>
    public int? LeaseDurationSeconds { get; set; }

    /// <summary>When the current holder acquired the lease (metav1.MicroTime).</summary>
    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    /// <summary>When the current holder last renewed the lease (metav1.MicroTime).</summary>
    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    /// <summary>How many times the lease changed holders.</summary>
    public int? LeaseTransitions { get; set; }

    /// <summary>Coordinated leader election: the strategy that picks the holder (<c>OldestEmulationVersion</c>, or a qualified name).</summary>
    public string? Strategy { get; set; }

    /// <summary>Coordinated leader election: the holder the strategy wants next; only with <see cref="Strategy"/>.</summary>
    public string? PreferredHolder { get; set; }
}
