namespace KubeProxyFast.Api.Meta;

/// <summary>metav1.DeleteOptions, the optional body of a DELETE.</summary>
public sealed class DeleteOptions : Extensible
{
    /// <summary><c>DeleteOptions</c>.</summary>
    public string? Kind { get; set; }

    /// <summary><c>v1</c> or <c>meta.k8s.io/v1</c>.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Seconds before the object is removed; 0 deletes at once.</summary>
    public long? GracePeriodSeconds { get; set; }

    /// <summary>Conditions that must hold for the delete to proceed.</summary>
    public Preconditions? Preconditions { get; set; }

    /// <summary>Deprecated form of <see cref="PropagationPolicy"/>.</summary>
    public bool? OrphanDependents { get; set; }

    /// <summary><c>Orphan</c>, <c>Background</c> or <c>Foreground</c>.</summary>
    public string? PropagationPolicy { get; set; }

    /// <summary>When present, <c>All</c> makes the request a dry run.</summary>
    public List<string>? DryRun { get; set; }
}

/// <summary>metav1.Preconditions.</summary>
public sealed class Preconditions : Extensible
{
    /// <summary>The object's UID must equal this.</summary>
    public string? Uid { get; set; }

    /// <summary>The object's resourceVersion must equal this.</summary>
    public string? ResourceVersion { get; set; }
}

/// <summary>The <c>propagationPolicy</c> values.</summary>
public static class PropagationPolicies
{
    /// <summary>Dependents are left in place.</summary>
    public const string Orphan = "Orphan";
    /// <summary>The owner goes at once; dependents are deleted afterwards.</summary>
    public const string Background = "Background";
    /// <summary>Dependents are deleted first, then the owner.</summary>
    public const string Foreground = "Foreground";
}
