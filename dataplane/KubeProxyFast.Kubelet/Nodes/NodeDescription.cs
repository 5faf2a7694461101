using System.Reflection;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// Everything the kubelet says of its Node that does not change while it runs: labels, the taints
/// it registers with, addresses, capacity and allocatable, nodeInfo. Built once at start from the
/// options, the machine and the runtime's version; registration writes it, the status reporter
/// keeps the status parts of it in place.
/// </summary>
public sealed record NodeDescription
{
    /// <summary><c>kubernetes.io/hostname</c>.</summary>
    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary><c>kubernetes.io/os</c>.</summary>
    public const string OsLabel = "kubernetes.io/os";

    /// <summary><c>kubernetes.io/arch</c>.</summary>
    public const string ArchLabel = "kubernetes.io/arch";

    /// <summary><c>beta.kubernetes.io/os</c>, still set by the kubelet for old selectors.</summary>
    public const string BetaOsLabel = "beta.kubernetes.io/os";

    /// <summary><c>beta.kubernetes.io/arch</c>, still set by the kubelet for old selectors.</summary>
    public const string BetaArchLabel = "beta.kubernetes.io/arch";

    /// <summary>The Node's name.</summary>
    public required string NodeName { get; init; }

    /// <summary>The labels the kubelet owns: the well-known ones, then <c>--node-labels</c>.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The taints of <c>--register-with-taints</c>, set only when the Node is created.</summary>
    public required IReadOnlyList<Taint> Taints { get; init; }

    /// <summary>InternalIP and Hostname.</summary>
    public required IReadOnlyList<NodeAddress> Addresses { get; init; }

    /// <summary>cpu, memory, pods, ephemeral-storage of the machine.</summary>
    public required IReadOnlyDictionary<string, Quantity> Capacity { get; init; }

    /// <summary>Capacity minus <c>--system-reserved</c>, never below zero.</summary>
    public required IReadOnlyDictionary<string, Quantity> Allocatable { get; init; }

    /// <summary>Kernel, OS image, runtime and kubelet versions, machine and boot ids.</summary>
    public required NodeSystemInfo NodeInfo { get; init; }

    /// <summary>
    /// The kubelet's version as it reports it: the Kubernetes release whose API we follow, ours as
    /// semver build metadata (<c>v1.32.0+kpf.0.1.0</c>), as k3s reports <c>v1.32.0+k3s1</c>.
    /// </summary>
    public static string KubeletVersion { get; } = "v1.32.0+kpf." + OwnVersion();

    /// <summary>
    /// The description of the node of <paramref name="options"/> on <paramref name="machine"/>, whose
    /// runtime reported <paramref name="runtimeName"/> <paramref name="runtimeVersion"/> (CRI Version).
    /// </summary>
    /// <exception cref="FormatException">A <c>--register-with-taints</c> entry is malformed.</exception>
    /// <exception cref="InvalidOperationException">No <c>--node-ip</c> and no address to use.</exception>
    public static NodeDescription Build(KubeletOptions options, MachineInfo machine, string runtimeName, string runtimeVersion)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(machine);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HostnameLabel] = options.NodeName,
            [OsLabel] = machine.OperatingSystem,
            [ArchLabel] = machine.Architecture,
            [BetaOsLabel] = machine.OperatingSystem,
            [BetaArchLabel] = machine.Architecture,
        };
        foreach (var (key, value) in options.NodeLabels)
        {
            labels[key] = value;
        }

        var capacity = new Dictionary<string, Quantity>(StringComparer.Ordinal)
        {
            ["cpu"] = Quantity.FromValue(machine.CpuCount, QuantityFormat.DecimalSI),
            ["memory"] = Quantity.FromValue(machine.MemoryBytes, QuantityFormat.BinarySI),
            ["pods"] = Quantity.FromValue(options.MaxPods, QuantityFormat.DecimalSI),
            ["ephemeral-storage"] = Quantity.FromValue(machine.EphemeralStorageBytes, QuantityFormat.BinarySI),
        };
        return new NodeDescription
        {
            NodeName = options.NodeName,
            Labels = labels,
            Taints = TaintSpec.ParseAll(options.RegisterWithTaints),
            Addresses = NodeAddresses.For(options.NodeIp, options.NodeName),
            Capacity = capacity,
            Allocatable = Subtract(capacity, options.SystemReserved),
            NodeInfo = new NodeSystemInfo
            {
                MachineID = machine.MachineId,
                SystemUUID = machine.SystemUuid,
                BootID = machine.BootId,
                KernelVersion = machine.KernelVersion,
                OsImage = machine.OsImage,
                ContainerRuntimeVersion = $"{runtimeName}://{runtimeVersion}",
                KubeletVersion = KubeletVersion,
                OperatingSystem = machine.OperatingSystem,
                Architecture = machine.Architecture,
            },
        };
    }

    /// <summary>
    /// <paramref name="capacity"/> minus <paramref name="reserved"/> per resource, floored at zero
    /// (as the kubelet's allocatable); a reserved resource the machine does not have is ignored.
    /// </summary>
    public static Dictionary<string, Quantity> Subtract(IReadOnlyDictionary<string, Quantity> capacity, IReadOnlyDictionary<string, Quantity> reserved)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(reserved);
        var allocatable = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        foreach (var (name, total) in capacity)
        {
            if (!reserved.TryGetValue(name, out var kept))
            {
                allocatable[name] = total;
                continue;
            }

            var left = total.Sub(kept);
            allocatable[name] = left.Sign < 0 ? Quantity.FromValue(0, total.Format) : left;
        }

        return allocatable;
    }

    /// <summary>The Node to create: labels, registration taints, and the status parts.</summary>
    public Api.Core.Node ToNode() => new()
    {
        Metadata = new Api.Meta.ObjectMeta
        {
            Name = NodeName,
            Labels = new Dictionary<string, string>(Labels, StringComparer.Ordinal),
        },
        Spec = new NodeSpec { Taints = Taints.Count == 0 ? null : [.. Taints.Select(CopyTaint)] },
        Status = new NodeStatus
        {
            Addresses = [.. Addresses.Select(a => new NodeAddress { Type = a.Type, Address = a.Address })],
            Capacity = new Dictionary<string, Quantity>(Capacity, StringComparer.Ordinal),
            Allocatable = new Dictionary<string, Quantity>(Allocatable, StringComparer.Ordinal),
            NodeInfo = CopyInfo(NodeInfo),
        },
    };

    internal static NodeSystemInfo CopyInfo(NodeSystemInfo info) => new()
    {
        MachineID = info.MachineID,
        SystemUUID = info.SystemUUID,
        BootID = info.BootID,
        KernelVersion = info.KernelVersion,
        OsImage = info.OsImage,
        ContainerRuntimeVersion = info.ContainerRuntimeVersion,
        KubeletVersion = info.KubeletVersion,
        KubeProxyVersion = info.KubeProxyVersion,
        OperatingSystem = info.OperatingSystem,
        Architecture = info.Architecture,
    };

    private static Taint CopyTaint(Taint taint) => new() { Key = taint.Key, Value = taint.Value, Effect = taint.Effect };

    private static string OwnVersion()
    {
        var informational = typeof(NodeDescription).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
