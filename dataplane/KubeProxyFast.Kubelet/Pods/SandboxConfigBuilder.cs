using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;
using CriProtocol = KubeProxyFast.Kubelet.Cri.V1.Protocol;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// The CRI <see cref="PodSandboxConfig"/> of a pod: metadata (name, namespace, uid, attempt),
/// hostname (spec.hostname or the pod's name), log directory
/// <c>&lt;data&gt;/agent/logs/pods/&lt;ns&gt;_&lt;name&gt;_&lt;uid&gt;</c>, DNS config, port mappings
/// (hostPort, hostIP, protocol), the kubelet's labels, cgroup parent by QoS class, and namespaces:
/// network and IPC shared by the pod, PID per container.
/// </summary>
public sealed class SandboxConfigBuilder
{
    private readonly KubeletOptions _options;
    private readonly IPodConfigSource _config;

    /// <summary>Builds with the kubelet's options and the pod configuration source.</summary>
    public SandboxConfigBuilder(KubeletOptions options, IPodConfigSource config)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        _options = options;
        _config = config;
    }

    /// <summary>The directory the pod's container logs go to.</summary>
    public string LogDirectory(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return Path.Combine(_options.DataDirectory, "agent", "logs", "pods", $"{pod.Metadata.Namespace}_{pod.Metadata.Name}_{pod.Metadata.Uid}");
    }

    /// <summary>The sandbox config for attempt <paramref name="attempt"/> (0 first, one more per new sandbox).</summary>
    public PodSandboxConfig Build(Pod pod, uint attempt)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var meta = pod.Metadata;
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = meta.Name ?? "", Namespace = meta.Namespace ?? "", Uid = meta.Uid ?? "", Attempt = attempt },
            Hostname = Hostname(pod),
            LogDirectory = LogDirectory(pod),
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = PodCgroups.Parent(pod, _options.CgroupRoot),
                SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = NamespaceOptions(pod) },
            },
        };
        if (_config.Dns(pod) is { } dns)
        {
            config.DnsConfig = dns;
        }

        foreach (var (key, value) in meta.Labels ?? [])
        {
            config.Labels[key] = value;
        }

        foreach (var (key, value) in meta.Annotations ?? [])
        {
            config.Annotations[key] = value;
        }

        AddPodLabels(config.Labels, pod);
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            foreach (var port in container.Ports ?? [])
            {
                config.PortMappings.Add(new PortMapping
                {
                    ContainerPort = port.Number,
                    HostPort = port.HostPort ?? 0,
                    HostIp = port.HostIP ?? "",
                    Protocol = ProtocolOf(port.Protocol),
                });
            }
        }

        return config;
    }

    /// <summary>spec.hostname, else the pod's name, cut to a DNS label's 63 characters (trailing '-' and '.' dropped) as Kubernetes does.</summary>
    public static string Hostname(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var name = string.IsNullOrEmpty(pod.Spec?.Hostname) ? pod.Metadata.Name ?? "" : pod.Spec!.Hostname!;
        if (name.Length > 63)
        {
            name = name[..63].TrimEnd('-', '.');
        }

        return name;
    }

    /// <summary>Network and IPC shared by the pod (the node's network for hostNetwork pods), PID per container.</summary>
    public static NamespaceOption NamespaceOptions(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new NamespaceOption
        {
            Network = pod.Spec?.HostNetwork == true ? NamespaceMode.Node : NamespaceMode.Pod,
            Ipc = NamespaceMode.Pod,
            Pid = NamespaceMode.Container,
        };
    }

    /// <summary>The labels by which the kubelet finds its sandboxes and containers again.</summary>
    public static void AddPodLabels(IDictionary<string, string> labels, Pod pod)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(pod);
        labels[KubeletLabels.PodName] = pod.Metadata.Name ?? "";
        labels[KubeletLabels.PodNamespace] = pod.Metadata.Namespace ?? "";
        labels[KubeletLabels.PodUid] = pod.Metadata.Uid ?? "";
        labels[KubeletLabels.ManagedBy] = "true";
    }

    /// <summary>A pod's terminationGracePeriodSeconds (Kubernetes' default 30).</summary>
    public static long GracePeriodSeconds(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec?.TerminationGracePeriodSeconds ?? 30;
    }

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static CriProtocol ProtocolOf(string? protocol) => protocol switch
    {
        "UDP" => CriProtocol.Udp,
        "SCTP" => CriProtocol.Sctp,
        _ => CriProtocol.Tcp,
    };
}
