namespace KubeProxyFast.Api.Core;

/// <summary>v1 Toleration: lets a pod be scheduled onto (or stay on) a node with a matching taint.</summary>
public sealed class Toleration : Meta.Extensible
{
    /// <summary>The taint key it matches; empty with <c>Exists</c> matches every key.</summary>
    public string? Key { get; set; }

    /// <summary><c>Equal</c> (the default) or <c>Exists</c>.</summary>
    public string? Operator { get; set; }

    /// <summary>The taint value it matches (with <c>Equal</c>).</summary>
    public string? Value { get; set; }

    /// <summary>The taint effect it matches; empty matches every effect.</summary>
    public string? Effect { get; set; }

    /// <summary>With <c>NoExecute</c>, how long the pod stays bound after the taint appears; unset is forever.</summary>
    public long? TolerationSeconds { get; set; }
}

/// <summary>Values of <see cref="Toleration.Operator"/>.</summary>
public static class TolerationOperators
{
    /// <summary>Key and value equal the taint's (the default).</summary>
    public const string Equal = "Equal";
    /// <summary>The key exists, whatever the value.</summary>
    public const string Exists = "Exists";
}

/// <summary>Values of <see cref="Taint.Effect"/> and <see cref="Toleration.Effect"/>.</summary>
public static class TaintEffects
{
    /// <summary>No new pod is scheduled unless it tolerates the taint.</summary>
    public const string NoSchedule = "NoSchedule";
    /// <summary>The scheduler avoids the node for pods that do not tolerate the taint.</summary>
    public const string PreferNoSchedule = "PreferNoSchedule";
    /// <summary>As NoSchedule, and pods that do not tolerate it are evicted.</summary>
    public const string NoExecute = "NoExecute";
}
