using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Scheduler.Cache;

/// <summary>
/// What the filters and scores need of one pod, computed once when the pod is seen (requests summed,
/// tolerations and node affinity flattened), so the per-node loop reads fields and never the object.
/// Immutable; a changed pod gets a new one.
/// </summary>
internal sealed class PodInfo
{
    /// <summary>Kubernetes' defaults for a container without a request, used by scoring only (<c>DefaultMilliCPURequest</c>, <c>DefaultMemoryRequest</c>).</summary>
    internal const long DefaultMilliCpuRequest = 100;
    internal const long DefaultMemoryRequest = 200 * 1024 * 1024;

    private static readonly Dictionary<string, string> NoLabels = [];

    private PodInfo(Pod pod)
    {
        Pod = pod;
        Namespace = pod.Metadata.Namespace ?? "";
        Name = pod.Metadata.Name ?? "";
        Key = Namespace + "/" + Name;
        Labels = pod.Metadata.Labels ?? NoLabels;
    }

    /// <summary>The pod as seen (read-only by convention: never changed after construction).</summary>
    public Pod Pod { get; }

    /// <summary><c>namespace/name</c>.</summary>
    public string Key { get; }

    /// <summary>The namespace.</summary>
    public string Namespace { get; }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The labels (never null).</summary>
    public Dictionary<string, string> Labels { get; }

    /// <summary><c>spec.nodeName</c>, null when unbound.</summary>
    public string? NodeName { get; private init; }

    /// <summary><c>spec.priority</c> (0 when unset).</summary>
    public int Priority { get; private init; }

    /// <summary>Whether it has a deletionTimestamp.</summary>
    public bool Terminating { get; private init; }

    /// <summary>Requested CPU in millicores, memory and ephemeral storage in bytes (sum over containers).</summary>
    public long MilliCpu { get; private init; }

    /// <inheritdoc cref="MilliCpu"/>
    public long Memory { get; private init; }

    /// <inheritdoc cref="MilliCpu"/>
    public long EphemeralStorage { get; private init; }

    /// <summary>Requests with Kubernetes' defaults for containers that request no CPU or memory (what scoring counts).</summary>
    public long NonZeroMilliCpu { get; private init; }

    /// <inheritdoc cref="NonZeroMilliCpu"/>
    public long NonZeroMemory { get; private init; }

    /// <summary>Host ports the pod's containers ask for.</summary>
    public HostPort[] HostPorts { get; private init; } = [];

    /// <summary>The pod's tolerations.</summary>
    public TolerationInfo[] Tolerations { get; private init; } = [];

    /// <summary><c>spec.nodeSelector</c> as pairs.</summary>
    public KeyValuePair<string, string>[] NodeSelector { get; private init; } = [];

    /// <summary>Required node affinity terms (ORed); null when there is no requirement.</summary>
    public NodeSelectorTerm[]? RequiredTerms { get; private init; }

    /// <summary>Preferred node affinity terms; empty when none.</summary>
    public PreferredSchedulingTerm[] PreferredTerms { get; private init; } = [];

    /// <summary>Builds the info of <paramref name="pod"/>.</summary>
    public static PodInfo From(Pod pod)
    {
        var spec = pod.Spec ?? new PodSpec();
        long cpu = 0, memory = 0, ephemeral = 0, nonZeroCpu = 0, nonZeroMemory = 0;
        var ports = new List<HostPort>();
        foreach (var container in spec.Containers ?? [])
        {
            var requests = container.Resources?.Requests;
            var c = Request(requests, "cpu", milli: true);
            var m = Request(requests, "memory", milli: false);
            cpu += c ?? 0;
            memory += m ?? 0;
            ephemeral += Request(requests, "ephemeral-storage", milli: false) ?? 0;
            nonZeroCpu += c ?? DefaultMilliCpuRequest;
            nonZeroMemory += m ?? DefaultMemoryRequest;
            foreach (var port in container.Ports ?? [])
            {
                if (port.HostPort is > 0 and var hostPort)
                {
                    ports.Add(new HostPort(string.IsNullOrEmpty(port.HostIP) ? HostPort.AnyIP : port.HostIP, port.Protocol ?? Protocols.Tcp, hostPort));
                }
            }
        }

        var required = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        return new PodInfo(pod)
        {
            NodeName = string.IsNullOrEmpty(spec.NodeName) ? null : spec.NodeName,
            Priority = spec.Priority ?? 0,
            Terminating = pod.Metadata.DeletionTimestamp is not null,
            MilliCpu = cpu,
            Memory = memory,
            EphemeralStorage = ephemeral,
            NonZeroMilliCpu = nonZeroCpu,
            NonZeroMemory = nonZeroMemory,
            HostPorts = [.. ports],
            Tolerations = [.. (spec.Tolerations ?? []).Select(t => new TolerationInfo(t.Key ?? "", t.Operator ?? "", t.Value ?? "", t.Effect ?? ""))],
            NodeSelector = [.. spec.NodeSelector ?? []],
            RequiredTerms = required is null ? null : [.. required.NodeSelectorTerms ?? []],
            PreferredTerms = [.. spec.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []],
        };
    }

    private static long? Request(Dictionary<string, Api.Resources.Quantity>? requests, string name, bool milli) =>
        requests is not null && requests.TryGetValue(name, out var quantity) ? (milli ? quantity.MilliValue : quantity.Value) : null;
}

/// <summary>A host port a pod uses: <c>0.0.0.0</c> stands for every address.</summary>
internal readonly record struct HostPort(string IP, string Protocol, int Port)
{
    /// <summary>The wildcard host IP.</summary>
    public const string AnyIP = "0.0.0.0";

    /// <summary>Kubernetes' <c>HostPortInfo.CheckConflict</c>: same protocol and port, and the same IP or either the wildcard.</summary>
    public bool ConflictsWith(HostPort other) =>
        Port == other.Port && Protocol == other.Protocol && (IP == other.IP || IP == AnyIP || other.IP == AnyIP);
}

/// <summary>A toleration, with empty strings for unset fields.</summary>
internal readonly record struct TolerationInfo(string Key, string Operator, string Value, string Effect)
{
    /// <summary>Kubernetes' <c>ToleratesTaint</c>.</summary>
    public bool Tolerates(string key, string value, string effect)
    {
        if (Effect.Length != 0 && Effect != effect)
        {
            return false;
        }

        if (Key.Length != 0 && Key != key)
        {
            return false;
        }

        return Operator switch
        {
            "" or TolerationOperators.Equal => Value == value,
            TolerationOperators.Exists => true,
            _ => false,
        };
    }
}

/// <summary>A node taint.</summary>
internal readonly record struct TaintInfo(string Key, string Value, string Effect);
