using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 Namespace: a scope for names.</summary>
public sealed class Namespace : KubeObject
{
    /// <summary>Desired state.</summary>
    public NamespaceSpec? Spec { get; set; }

    /// <summary>Observed state.</summary>
    public NamespaceStatus? Status { get; set; }
}

/// <summary>v1 NamespaceList.</summary>
public sealed class NamespaceList : KubeList<Namespace>;

/// <summary>v1 NamespaceSpec.</summary>
public sealed class NamespaceSpec : Extensible
{
    /// <summary>Finalizers that must run before the namespace is removed (e.g. <c>kubernetes</c>).</summary>
    public List<string>? Finalizers { get; set; }
}

/// <summary>v1 NamespaceStatus.</summary>
public sealed class NamespaceStatus : Extensible
{
    /// <summary><c>Active</c> or <c>Terminating</c>.</summary>
    public string? Phase { get; set; }
}

/// <summary>v1 Binding: the scheduler's request to bind a pod to a node (POST pods/{name}/binding).</summary>
public sealed class Binding : KubeObject
{
    /// <summary>The node to bind to.</summary>
    public ObjectReference Target { get; set; } = new();
}
