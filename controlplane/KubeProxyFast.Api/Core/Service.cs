using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 Service: a stable virtual IP and ports load-balanced over the pods its selector picks.</summary>
public sealed class Service : KubeObject
{
    /// <summary>Desired state.</summary>
    public ServiceSpec? Spec { get; set; }

    /// <summary>Observed state (load balancer ingress).</summary>
    public ServiceStatus? Status { get; set; }
}

/// <summary>v1 ServiceList.</summary>
public sealed class ServiceList : KubeList<Service>;

/// <summary>v1 ServiceSpec.</summary>
public sealed class ServiceSpec : Extensible
{
    /// <summary>Ports exposed by the service.</summary>
    public List<ServicePort>? Ports { get; set; }

    /// <summary>Pods to route to; no selector means endpoints are managed by hand.</summary>
    public Dictionary<string, string>? Selector { get; set; }

    /// <summary>Virtual IP; allocated when empty; <c>None</c> for a headless service.</summary>
    public string? ClusterIP { get; set; }

    /// <summary>All cluster IPs (first equals <see cref="ClusterIP"/>).</summary>
    public List<string>? ClusterIPs { get; set; }

    /// <summary>One of <see cref="ServiceTypes"/>; default <c>ClusterIP</c>.</summary>
    public string? Type { get; set; }

    /// <summary>Extra IPs, routed to this node, on which the service also answers.</summary>
    public List<string>? ExternalIPs { get; set; }

    /// <summary><c>None</c> (default) or <c>ClientIP</c>.</summary>
    public string? SessionAffinity { get; set; }

    /// <summary>Requested load balancer IP.</summary>
    public string? LoadBalancerIP { get; set; }

    /// <summary>The DNS name an <c>ExternalName</c> service stands for (a CNAME, no proxying).</summary>
    public string? ExternalName { get; set; }

    /// <summary><c>Cluster</c> (default) or <c>Local</c>.</summary>
    public string? ExternalTrafficPolicy { get; set; }

    /// <summary>
    /// True to publish the addresses of pods that are not ready under <c>addresses</c> too (for
    /// peers that must find each other before they are ready, e.g. a StatefulSet's headless service).
    /// </summary>
    public bool? PublishNotReadyAddresses { get; set; }

    /// <summary>Settings of the ClientIP affinity.</summary>
    public SessionAffinityConfig? SessionAffinityConfig { get; set; }
}

/// <summary>v1 ServicePort.</summary>
public sealed class ServicePort : Extensible
{
    /// <summary>IANA_SVC_NAME; required when there is more than one port.</summary>
    public string? Name { get; set; }

    /// <summary><c>TCP</c> (default) or <c>UDP</c>.</summary>
    public string? Protocol { get; set; }

    /// <summary>The port on the cluster IP.</summary>
    public int Port { get; set; }

    /// <summary>Port number or container port name on the pods; defaults to <see cref="Port"/>.</summary>
    public IntOrString? TargetPort { get; set; }

    /// <summary>Port on every node for NodePort and LoadBalancer services; allocated when 0.</summary>
    public int? NodePort { get; set; }
}

/// <summary>v1 SessionAffinityConfig.</summary>
public sealed class SessionAffinityConfig : Extensible
{
    /// <summary>ClientIP affinity settings.</summary>
    public ClientIPConfig? ClientIP { get; set; }
}

/// <summary>v1 ClientIPConfig.</summary>
public sealed class ClientIPConfig : Extensible
{
    /// <summary>Sticky time, 1..86400 seconds; default 10800 (3 hours).</summary>
    public int? TimeoutSeconds { get; set; }
}

/// <summary>v1 ServiceStatus.</summary>
public sealed class ServiceStatus : Extensible
{
    /// <summary>Load balancer status.</summary>
    public LoadBalancerStatus? LoadBalancer { get; set; }
}

/// <summary>v1 LoadBalancerStatus.</summary>
public sealed class LoadBalancerStatus : Extensible
{
    /// <summary>Ingress points of the load balancer.</summary>
    public List<LoadBalancerIngress>? Ingress { get; set; }
}

/// <summary>v1 LoadBalancerIngress.</summary>
public sealed class LoadBalancerIngress : Extensible
{
    /// <summary>IP of the ingress point.</summary>
    public string? Ip { get; set; }

    /// <summary>Host name of the ingress point.</summary>
    public string? Hostname { get; set; }
}

/// <summary>Values of <see cref="ServiceSpec.Type"/>.</summary>
public static class ServiceTypes
{
    /// <summary>Reachable on the cluster IP only (the default).</summary>
    public const string ClusterIP = "ClusterIP";
    /// <summary>Also on a port of every node.</summary>
    public const string NodePort = "NodePort";
    /// <summary>Also through an external load balancer.</summary>
    public const string LoadBalancer = "LoadBalancer";
    /// <summary>A DNS CNAME to another name.</summary>
    public const string ExternalName = "ExternalName";
}

/// <summary>Values of <see cref="ServiceSpec.SessionAffinity"/>.</summary>
public static class SessionAffinities
{
    /// <summary>Each connection is balanced on its own.</summary>
    public const string None = "None";
    /// <summary>A client IP sticks to one endpoint for the timeout.</summary>
    public const string ClientIP = "ClientIP";

    /// <summary>The default and the longest ClientIP timeout, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 10800;

    /// <summary>The longest ClientIP timeout, in seconds (one day).</summary>
    public const int MaxTimeoutSeconds = 86400;
}
