using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Autoscaling;

/// <summary>autoscaling/v1 Scale: the scale subresource of a replication controller.</summary>
public sealed class Scale : KubeObject
{
    /// <summary>Desired replicas.</summary>
    public ScaleSpec? Spec { get; set; }

    /// <summary>Observed replicas and selector.</summary>
    public ScaleStatus? Status { get; set; }
}

/// <summary>autoscaling/v1 ScaleSpec.</summary>
public sealed class ScaleSpec : Extensible
{
    /// <summary>Desired number of replicas.</summary>
    public int? Replicas { get; set; }
}

/// <summary>autoscaling/v1 ScaleStatus.</summary>
public sealed class ScaleStatus : Extensible
{
    /// <summary>Observed number of replicas.</summary>
    public int Replicas { get; set; }

    /// <summary>The pods' label selector in query-string form.</summary>
    public string? Selector { get; set; }
}
