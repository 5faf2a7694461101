using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// What the endpoints controller reads of a pod, projected once per pod version
/// (<see cref="EndpointPodCache"/>): a full pod decodes in about 10 µs, and a sync of a service
/// reads every pod of its namespace, so syncs read these instead. Immutable.
/// </summary>
internal sealed class EndpointPod
{
    private EndpointPod(Pod pod)
    {
        var meta = pod.Metadata;
        Namespace = meta.Namespace ?? "";
        Name = meta.Name ?? "";
        Uid = meta.Uid;
        ResourceVersion = meta.ResourceVersion;
        Labels = meta.Labels;
        Terminating = meta.DeletionTimestamp is not null;
        NodeName = pod.Spec?.NodeName;
        Hostname = pod.Spec?.Hostname;
        Subdomain = pod.Spec?.Subdomain;
        var status = pod.Status;
        Ips = IpsOf(status);
        Terminal = status?.Phase is PodPhases.Succeeded or PodPhases.Failed;
        var ready = status?.Conditions?.Find(c => c.Type == PodConditionTypes.Ready);
        Ready = ready?.Status == ConditionStatuses.True;
        ReadyTransitionTime = ready?.LastTransitionTime;
        NamedPorts = NamedPortsOf(pod.Spec);
    }

    public string Namespace { get; }

    public string Name { get; }

    public string? Uid { get; }

    public string? ResourceVersion { get; }

    /// <summary>The pod's labels; never changed (this projection owns its decoded copy).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; }

    /// <summary>A deletion was requested (<c>metadata.deletionTimestamp</c>).</summary>
    public bool Terminating { get; }

    public string? NodeName { get; }

    public string? Hostname { get; }

    public string? Subdomain { get; }

    /// <summary><c>status.podIPs</c>, or <c>status.podIP</c> alone when podIPs is empty.</summary>
    public string[] Ips { get; }

    /// <summary>Phase Succeeded or Failed: its containers will never run again.</summary>
    public bool Terminal { get; }

    /// <summary>The <c>Ready</c> condition is <c>True</c>.</summary>
    public bool Ready { get; }

    /// <summary>When the <c>Ready</c> condition last changed: the pod's trigger time for <c>endpoints.kubernetes.io/last-change-trigger-time</c>.</summary>
    public DateTimeOffset? ReadyTransitionTime { get; }

    /// <summary>The named ports of the pod's containers, in container order.</summary>
    public NamedPort[] NamedPorts { get; }

    /// <summary>The projection of <paramref name="pod"/>.</summary>
    public static EndpointPod From(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new EndpointPod(pod);
    }

    /// <summary>
    /// Whether the pod belongs in Endpoints at all, as Kubernetes' <c>ShouldPodBeInEndpoints</c>:
    /// not terminal (phase Succeeded or Failed, whatever its restart policy), with an IP, and not
    /// terminating unless <paramref name="includeTerminating"/> (the service's publishNotReadyAddresses).
    /// </summary>
    public bool ShouldBeInEndpoints(bool includeTerminating) =>
        !Terminal && Ips.Length > 0 && (includeTerminating || !Terminating);

    /// <summary>
    /// The pod's port for <paramref name="port"/>, as Kubernetes' <c>FindPort</c>: a number as
    /// is; a name from the first container port of that name and the service port's protocol;
    /// null when the pod has none (it is left out of that port).
    /// </summary>
    public int? FindPort(ServicePort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        var target = port.TargetPort;
        if (target is null)
        {
            // The apiserver defaults targetPort to port; an object that skipped defaulting means the same.
            return port.Port;
        }

        if (!target.Value.IsString)
        {
            return target.Value.IntValue;
        }

        var name = target.Value.StringValue;
        var protocol = port.Protocol ?? Protocols.Tcp;
        foreach (var named in NamedPorts)
        {
            if (named.Name == name && named.Protocol == protocol)
            {
                return named.Number;
            }
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="other"/>, a later version of this pod, may be written differently
    /// into Endpoints: deletion requested, readiness, IPs, phase turned terminal, node, hostname or
    /// subdomain (Kubernetes' podEndpointsChanged, plus the phase, which Kubernetes leaves to the
    /// Ready condition that a kubelet turns False with it).
    /// </summary>
    public bool EndpointsDiffer(EndpointPod other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Terminating != other.Terminating || Ready != other.Ready || Terminal != other.Terminal
            || !Ips.AsSpan().SequenceEqual(other.Ips)
            || NodeName != other.NodeName || Hostname != other.Hostname || Subdomain != other.Subdomain;
    }

    private static string[] IpsOf(PodStatus? status)
    {
        if (status?.PodIPs is { Count: > 0 } podIps)
        {
            var ips = new List<string>(podIps.Count);
            foreach (var ip in podIps)
            {
                if (!string.IsNullOrEmpty(ip.Ip))
                {
                    ips.Add(ip.Ip);
                }
            }

            return [.. ips];
        }

        return string.IsNullOrEmpty(status?.PodIP) ? [] : [status.PodIP];
    }

    private static NamedPort[] NamedPortsOf(PodSpec? spec)
    {
        List<NamedPort>? ports = null;
        foreach (var container in spec?.Containers ?? [])
        {
            foreach (var port in container.Ports ?? [])
            {
                if (!string.IsNullOrEmpty(port.Name))
                {
                    (ports ??= []).Add(new NamedPort(port.Name, port.Protocol ?? Protocols.Tcp, port.Number));
                }
            }
        }

        return ports is null ? [] : [.. ports];
    }
}

/// <summary>A named container port: what a named <c>targetPort</c> resolves to.</summary>
internal readonly record struct NamedPort(string Name, string Protocol, int Number);
