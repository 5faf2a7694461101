using System.Text.Json.Serialization;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 Container.</summary>
public sealed class Container : Extensible
{
    /// <summary>DNS-1123 label, unique within the pod.</summary>
    public string Name { get; set; } = "";

    /// <summary>Image reference.</summary>
    public string? Image { get; set; }

    /// <summary>Entrypoint; the image's ENTRYPOINT when empty.</summary>
    public List<string>? Command { get; set; }

    /// <summary>Arguments; the image's CMD when empty.</summary>
    public List<string>? Args { get; set; }

    /// <summary>Working directory.</summary>
    public string? WorkingDir { get; set; }

    /// <summary>Ports the container exposes (informational, and targets of named targetPorts).</summary>
    public List<ContainerPort>? Ports { get; set; }

    /// <summary>Environment variables.</summary>
    public List<EnvVar>? Env { get; set; }

    /// <summary>Resource requests and limits.</summary>
    public ResourceRequirements? Resources { get; set; }

    /// <summary>The pod's volumes this container mounts.</summary>
    public List<VolumeMount>? VolumeMounts { get; set; }

    /// <summary>Restarts the container when it fails.</summary>
    public Probe? LivenessProbe { get; set; }

    /// <summary>Removes the pod from service endpoints while it fails.</summary>
    public Probe? ReadinessProbe { get; set; }

    /// <summary>Holds the other probes back until it succeeds once.</summary>
    public Probe? StartupProbe { get; set; }

    /// <summary><c>Always</c>, <c>IfNotPresent</c> or <c>Never</c>.</summary>
    public string? ImagePullPolicy { get; set; }
}

/// <summary>v1 ContainerPort.</summary>
public sealed class ContainerPort : Extensible
{
    /// <summary>IANA_SVC_NAME, unique within the pod; what a named targetPort refers to.</summary>
    public string? Name { get; set; }

    /// <summary>Port on the node to expose the container port on.</summary>
    public int? HostPort { get; set; }

    /// <summary>The <c>containerPort</c> field: the port number on the pod's IP.</summary>
    [JsonPropertyName("containerPort")]
    public int Number { get; set; }

    /// <summary><c>TCP</c> (default) or <c>UDP</c>.</summary>
    public string? Protocol { get; set; }

    /// <summary>Host IP to bind the host port to.</summary>
    public string? HostIP { get; set; }
}

/// <summary>v1 EnvVar.</summary>
public sealed class EnvVar : Extensible
{
    /// <summary>Variable name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Literal value.</summary>
    public string? Value { get; set; }

    /// <summary>Source of the value when not literal.</summary>
    public EnvVarSource? ValueFrom { get; set; }
}

/// <summary>v1 EnvVarSource.</summary>
public sealed class EnvVarSource : Extensible
{
    /// <summary>A field of the pod, e.g. <c>status.podIP</c> or <c>metadata.name</c>.</summary>
    public ObjectFieldSelector? FieldRef { get; set; }

    /// <summary>A resource limit or request of a container, e.g. <c>limits.memory</c>.</summary>
    public ResourceFieldSelector? ResourceFieldRef { get; set; }

    /// <summary>A key of a ConfigMap in the pod's namespace.</summary>
    public KeySelector? ConfigMapKeyRef { get; set; }

    /// <summary>A key of a Secret in the pod's namespace.</summary>
    public KeySelector? SecretKeyRef { get; set; }
}

/// <summary>v1 ResourceFieldSelector.</summary>
public sealed class ResourceFieldSelector : Extensible
{
    /// <summary>Container whose resources are read; the container itself when absent.</summary>
    public string? ContainerName { get; set; }

    /// <summary><c>limits.cpu</c>, <c>limits.memory</c>, <c>requests.cpu</c>, <c>requests.memory</c>, <c>limits.ephemeral-storage</c>, <c>requests.ephemeral-storage</c>.</summary>
    public string Resource { get; set; } = "";

    /// <summary>Unit the value is expressed in (default 1).</summary>
    public Quantity? Divisor { get; set; }
}

/// <summary>v1 ConfigMapKeySelector / SecretKeySelector (the same shape).</summary>
public sealed class KeySelector : Extensible
{
    /// <summary>Name of the ConfigMap or Secret.</summary>
    public string? Name { get; set; }

    /// <summary>The key to read.</summary>
    public string Key { get; set; } = "";

    /// <summary>Whether a missing object or key is allowed.</summary>
    public bool? Optional { get; set; }
}

/// <summary>v1 ObjectFieldSelector.</summary>
public sealed class ObjectFieldSelector : Extensible
{
    /// <summary>Version of the schema the path is written in; default <c>v1</c>.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Path of the field, e.g. <c>metadata.namespace</c>.</summary>
    public string FieldPath { get; set; } = "";
}

/// <summary>v1 ResourceRequirements.</summary>
public sealed class ResourceRequirements : Extensible
{
    /// <summary>Upper bounds, by resource name (<c>cpu</c>, <c>memory</c>).</summary>
    public Dictionary<string, Quantity>? Limits { get; set; }

    /// <summary>What the scheduler reserves, by resource name.</summary>
    public Dictionary<string, Quantity>? Requests { get; set; }
}

/// <summary>v1 Probe: how the kubelet checks a container.</summary>
public sealed class Probe : Extensible
{
    /// <summary>Run a command in the container; exit 0 is success.</summary>
    public ExecAction? Exec { get; set; }

    /// <summary>HTTP GET; a 2xx or 3xx answer is success.</summary>
    public HttpGetAction? HttpGet { get; set; }

    /// <summary>TCP connect; an established connection is success.</summary>
    public TcpSocketAction? TcpSocket { get; set; }

    /// <summary>Seconds after start before the first probe.</summary>
    public int? InitialDelaySeconds { get; set; }

    /// <summary>Seconds after which a probe times out; default 1.</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary>Seconds between probes; default 10.</summary>
    public int? PeriodSeconds { get; set; }

    /// <summary>Consecutive successes to count as passing; default 1.</summary>
    public int? SuccessThreshold { get; set; }

    /// <summary>Consecutive failures to count as failing; default 3.</summary>
    public int? FailureThreshold { get; set; }
}

/// <summary>v1 ExecAction.</summary>
public sealed class ExecAction : Extensible
{
    /// <summary>Command line, not run in a shell.</summary>
    public List<string>? Command { get; set; }
}

/// <summary>v1 HTTPGetAction.</summary>
public sealed class HttpGetAction : Extensible
{
    /// <summary>Path to request.</summary>
    public string? Path { get; set; }

    /// <summary>Port number or name.</summary>
    public IntOrString Port { get; set; }

    /// <summary>Host to connect to; default the pod IP.</summary>
    public string? Host { get; set; }

    /// <summary><c>HTTP</c> (default) or <c>HTTPS</c>.</summary>
    public string? Scheme { get; set; }

    /// <summary>Extra request headers.</summary>
    public List<HttpHeader>? HttpHeaders { get; set; }
}

/// <summary>v1 HTTPHeader.</summary>
public sealed class HttpHeader : Extensible
{
    /// <summary>Header name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Header value.</summary>
    public string Value { get; set; } = "";
}

/// <summary>v1 TCPSocketAction.</summary>
public sealed class TcpSocketAction : Extensible
{
    /// <summary>Port number or name.</summary>
    public IntOrString Port { get; set; }

    /// <summary>Host to connect to; default the pod IP.</summary>
    public string? Host { get; set; }
}

/// <summary>Values of <c>protocol</c> in ports.</summary>
public static class Protocols
{
    /// <summary>TCP, the default.</summary>
    public const string Tcp = "TCP";
    /// <summary>UDP.</summary>
    public const string Udp = "UDP";
}
