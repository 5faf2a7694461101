using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 Pod: a group of containers scheduled together on one node.</summary>
public sealed class Pod : KubeObject
{
    /// <summary>Desired state.</summary>
    public PodSpec? Spec { get; set; }

    /// <summary>Observed state, written by the kubelet.</summary>
    public PodStatus? Status { get; set; }
}

/// <summary>v1 PodList.</summary>
public sealed class PodList : KubeList<Pod>;

/// <summary>v1 PodSpec.</summary>
public sealed class PodSpec : Extensible
{
    /// <summary>Volumes the containers can mount.</summary>
    public List<Volume>? Volumes { get; set; }

    /// <summary>The containers of the pod; at least one.</summary>
    public List<Container>? Containers { get; set; }

    /// <summary><c>Always</c> (default), <c>OnFailure</c> or <c>Never</c>.</summary>
    public string? RestartPolicy { get; set; }

    /// <summary>Seconds between SIGTERM and SIGKILL on deletion; default 30.</summary>
    public long? TerminationGracePeriodSeconds { get; set; }

    /// <summary>Seconds the pod may run before the kubelet fails it.</summary>
    public long? ActiveDeadlineSeconds { get; set; }

    /// <summary><c>ClusterFirst</c> (default), <c>Default</c>, <c>ClusterFirstWithHostNet</c> or <c>None</c>.</summary>
    public string? DnsPolicy { get; set; }

    /// <summary>Labels the chosen node must carry.</summary>
    public Dictionary<string, string>? NodeSelector { get; set; }

    /// <summary>Service account whose credentials the pod runs with.</summary>
    public string? ServiceAccountName { get; set; }

    /// <summary>The node the pod is bound to; set by the scheduler through a Binding.</summary>
    public string? NodeName { get; set; }

    /// <summary>Use the node's network namespace.</summary>
    public bool? HostNetwork { get; set; }

    /// <summary>The pod's hostname; defaults to the pod name.</summary>
    public string? Hostname { get; set; }

    /// <summary>With <see cref="Hostname"/>, gives the pod an FQDN under a headless service.</summary>
    public string? Subdomain { get; set; }

    /// <summary>The scheduler responsible for the pod.</summary>
    public string? SchedulerName { get; set; }

    /// <summary>Scheduling priority.</summary>
    public int? Priority { get; set; }

    /// <summary>Taints the pod tolerates.</summary>
    public List<Toleration>? Tolerations { get; set; }

    /// <summary>Scheduling constraints beyond <see cref="NodeSelector"/>.</summary>
    public Affinity? Affinity { get; set; }

    // Go declares these after priority: JSON follows declaration order.
    /// <summary>DNS parameters added to those from <see cref="DnsPolicy"/>.</summary>
    public PodDnsConfig? DnsConfig { get; set; }

    /// <summary>Whether the kubelet injects the Services' environment variables (default true).</summary>
    public bool? EnableServiceLinks { get; set; }
}

/// <summary>v1 PodTemplateSpec: the pod an RC stamps out.</summary>
public sealed class PodTemplateSpec : Extensible
{
    /// <summary>Metadata of the pods created from the template (labels must match the selector).</summary>
    public ObjectMeta? Metadata { get; set; }

    /// <summary>Spec of the pods created from the template.</summary>
    public PodSpec? Spec { get; set; }
}

/// <summary>Values of <see cref="PodSpec.RestartPolicy"/>.</summary>
public static class RestartPolicies
{
    /// <summary>Restart on every exit (the default).</summary>
    public const string Always = "Always";
    /// <summary>Restart on a non-zero exit.</summary>
    public const string OnFailure = "OnFailure";
    /// <summary>Never restart.</summary>
    public const string Never = "Never";
}

/// <summary>Values of <see cref="PodSpec.DnsPolicy"/>.</summary>
public static class DnsPolicies
{
    /// <summary>Cluster DNS first, then the node's resolvers (the default).</summary>
    public const string ClusterFirst = "ClusterFirst";
    /// <summary>Cluster DNS even with host networking.</summary>
    public const string ClusterFirstWithHostNet = "ClusterFirstWithHostNet";
    /// <summary>The node's resolv.conf.</summary>
    public const string Default = "Default";
    /// <summary>Only what the pod's dnsConfig gives.</summary>
    public const string None = "None";
}
