using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 Node: a machine that runs pods; registered and heartbeated by its kubelet.</summary>
public sealed class Node : KubeObject
{
    /// <summary>Desired state.</summary>
    public NodeSpec? Spec { get; set; }

    /// <summary>Observed state, written by the kubelet and the node controller.</summary>
    public NodeStatus? Status { get; set; }
}

/// <summary>v1 NodeList.</summary>
public sealed class NodeList : KubeList<Node>;

/// <summary>v1 NodeSpec.</summary>
public sealed class NodeSpec : Extensible
{
    /// <summary>Range of pod IPs assigned to the node.</summary>
    public string? PodCIDR { get; set; }

    /// <summary>All pod ranges (first equals <see cref="PodCIDR"/>).</summary>
    public List<string>? PodCIDRs { get; set; }

    /// <summary>Cloud provider's ID of the node.</summary>
    public string? ProviderID { get; set; }

    /// <summary>When true, the scheduler places no new pods here.</summary>
    public bool? Unschedulable { get; set; }

    /// <summary>Taints repelling pods that do not tolerate them.</summary>
    public List<Taint>? Taints { get; set; }
}

/// <summary>v1 Taint.</summary>
public sealed class Taint : Extensible
{
    /// <summary>Taint key.</summary>
    public string Key { get; set; } = "";

    /// <summary>Taint value.</summary>
    public string? Value { get; set; }

    /// <summary><c>NoSchedule</c>, <c>PreferNoSchedule</c> or <c>NoExecute</c>.</summary>
    public string Effect { get; set; } = "";

    /// <summary>When the taint was added (NoExecute only).</summary>
    public DateTimeOffset? TimeAdded { get; set; }
}

/// <summary>v1 NodeStatus.</summary>
public sealed class NodeStatus : Extensible
{
    /// <summary>Total resources of the node.</summary>
    public Dictionary<string, Quantity>? Capacity { get; set; }

    /// <summary>Resources available for pods.</summary>
    public Dictionary<string, Quantity>? Allocatable { get; set; }

    /// <summary>Deprecated node lifecycle phase.</summary>
    public string? Phase { get; set; }

    /// <summary>Conditions such as <c>Ready</c>, refreshed by heartbeats.</summary>
    public List<NodeCondition>? Conditions { get; set; }

    /// <summary>Addresses of the node.</summary>
    public List<NodeAddress>? Addresses { get; set; }

    /// <summary>Ports of the daemons on the node.</summary>
    public NodeDaemonEndpoints? DaemonEndpoints { get; set; }

    /// <summary>Versions and identifiers of the node.</summary>
    public NodeSystemInfo? NodeInfo { get; set; }
}

/// <summary>v1 NodeCondition.</summary>
public sealed class NodeCondition : Extensible
{
    /// <summary>E.g. <c>Ready</c>, <c>MemoryPressure</c>, <c>DiskPressure</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    public string Status { get; set; } = "";

    /// <summary>Last heartbeat from the kubelet.</summary>
    public DateTimeOffset? LastHeartbeatTime { get; set; }

    /// <summary>Last time the condition changed status.</summary>
    public DateTimeOffset? LastTransitionTime { get; set; }

    /// <summary>Machine-readable reason.</summary>
    public string? Reason { get; set; }

    /// <summary>Human-readable detail.</summary>
    public string? Message { get; set; }
}

/// <summary>v1 NodeAddress.</summary>
public sealed class NodeAddress : Extensible
{
    /// <summary><c>Hostname</c>, <c>InternalIP</c>, <c>ExternalIP</c>, ….</summary>
    public string Type { get; set; } = "";

    /// <summary>The address.</summary>
    public string Address { get; set; } = "";
}

/// <summary>v1 NodeDaemonEndpoints.</summary>
public sealed class NodeDaemonEndpoints : Extensible
{
    /// <summary>Where the kubelet listens.</summary>
    public DaemonEndpoint? KubeletEndpoint { get; set; }
}

/// <summary>v1 DaemonEndpoint.</summary>
public sealed class DaemonEndpoint : Extensible
{
    /// <summary>The port number (the field is spelled <c>Port</c>, capitalised, in Kubernetes).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("Port")]
    public int Port { get; set; }
}

/// <summary>v1 NodeSystemInfo.</summary>
public sealed class NodeSystemInfo : Extensible
{
    /// <summary>/etc/machine-id.</summary>
    public string MachineID { get; set; } = "";

    /// <summary>System UUID from the firmware.</summary>
    public string SystemUUID { get; set; } = "";

    /// <summary>Boot ID.</summary>
    public string BootID { get; set; } = "";

    /// <summary><c>uname -r</c>.</summary>
    public string KernelVersion { get; set; } = "";

    /// <summary>Operating system image, from /etc/os-release.</summary>
    public string OsImage { get; set; } = "";

    /// <summary>Runtime and version, e.g. <c>containerd://1.6.20</c>.</summary>
    public string ContainerRuntimeVersion { get; set; } = "";

    /// <summary>Kubelet version.</summary>
    public string KubeletVersion { get; set; } = "";

    /// <summary>Kube-proxy version.</summary>
    public string KubeProxyVersion { get; set; } = "";

    /// <summary><c>linux</c>.</summary>
    public string OperatingSystem { get; set; } = "";

    /// <summary><c>amd64</c>, <c>arm64</c>, ….</summary>
    public string Architecture { get; set; } = "";
}

/// <summary>Values of <see cref="NodeAddress.Type"/>.</summary>
public static class NodeAddressTypes
{
    /// <summary>The node's host name.</summary>
    public const string Hostname = "Hostname";
    /// <summary>Reachable inside the cluster.</summary>
    public const string InternalIP = "InternalIP";
    /// <summary>Reachable from outside the cluster.</summary>
    public const string ExternalIP = "ExternalIP";
    /// <summary>A DNS name reachable inside the cluster.</summary>
    public const string InternalDNS = "InternalDNS";
    /// <summary>A DNS name reachable from outside the cluster.</summary>
    public const string ExternalDNS = "ExternalDNS";
}
