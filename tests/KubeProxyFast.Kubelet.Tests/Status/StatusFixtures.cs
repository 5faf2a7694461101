using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Kubelet.Cri.V1;
using Container = KubeProxyFast.Api.Core.Container;
using KubeProxyFast.Kubelet.Pods;
using KubeProxyFast.Kubelet.Probes;
using CriContainerStatus = KubeProxyFast.Kubelet.Cri.V1.ContainerStatus;
using CriState = KubeProxyFast.Kubelet.Cri.V1.ContainerState;

namespace KubeProxyFast.Kubelet.Tests.Status;

/// <summary>Pods, CRI statuses and probe verdicts for the status tests.</summary>
internal static class StatusFixtures
{
    public const string HostIP = "198.18.0.10";

    public const string PodAddress = "198.18.64.5";

    public const string ImageRef = "docker.io/library/busybox@sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79";

    public static readonly DateTimeOffset T0 = new(2026, 12, 6, 20, 0, 0, TimeSpan.Zero);

    public static Pod Pod(string restartPolicy = RestartPolicies.Always, params string[] containers)
    {
        if (containers.Length == 0)
        {
            containers = ["web"];
        }

        return new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = "default", Uid = "uid-1" },
            Spec = new PodSpec
            {
                NodeName = "n1",
                RestartPolicy = restartPolicy,
                Containers = [.. containers.Select(c => new Container { Name = c, Image = "busybox:1.36" })],
            },
            Status = new PodStatus
            {
                Phase = PodPhases.Pending,
                Conditions = [new PodCondition { Type = PodConditionTypes.PodScheduled, Status = ConditionStatuses.True, LastTransitionTime = T0.AddMinutes(-1) }],
            },
        };
    }

    public static PodSandboxStatus Sandbox(bool ready = true, string ip = PodAddress) => new()
    {
        Id = "sandbox1",
        State = ready ? PodSandboxState.SandboxReady : PodSandboxState.SandboxNotready,
        CreatedAt = Nanos(T0),
        Network = new PodSandboxNetworkStatus { Ip = ip },
    };

    public static long Nanos(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;

    public static CriContainerStatus Running(string name, string id, uint attempt = 0, DateTimeOffset? started = null) => new()
    {
        Id = id,
        Metadata = new ContainerMetadata { Name = name, Attempt = attempt },
        State = CriState.ContainerRunning,
        CreatedAt = Nanos((started ?? T0).AddSeconds(-1)) + attempt,
        StartedAt = Nanos(started ?? T0) + 123_456_789,
        ImageRef = ImageRef,
        Annotations = { [KubeletLabels.ContainerRestartCount] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static CriContainerStatus Exited(string name, string id, int exitCode, string reason = "", string message = "", uint attempt = 0) => new()
    {
        Id = id,
        Metadata = new ContainerMetadata { Name = name, Attempt = attempt },
        State = CriState.ContainerExited,
        CreatedAt = Nanos(T0.AddSeconds(-1)) + attempt,
        StartedAt = Nanos(T0),
        FinishedAt = Nanos(T0.AddSeconds(5)),
        ExitCode = exitCode,
        Reason = reason,
        Message = message,
        ImageRef = ImageRef,
        Annotations = { [KubeletLabels.ContainerRestartCount] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static PodRuntimeState State(PodSandboxStatus? sandbox, params CriContainerStatus[] containers) =>
        new(
            sandbox,
            containers.GroupBy(c => c.Metadata.Name).ToDictionary(g => g.Key, g => (IReadOnlyList<CriContainerStatus>)[.. g.OrderByDescending(c => c.Metadata.Attempt)]),
            new Dictionary<string, ContainerWaiting>());

    public static PodRuntimeState WithWaiting(this PodRuntimeState state, string container, string reason, string? message) =>
        state with { Waiting = new Dictionary<string, ContainerWaiting>(state.Waiting) { [container] = new ContainerWaiting(reason, message) } };
}

/// <summary>Probe verdicts set by the test (IProbeResults is pure data).</summary>
internal sealed class FakeProbeResults : IProbeResults
{
    public HashSet<string> NotReady { get; } = [];

    public HashSet<string> NotStarted { get; } = [];

    public bool IsReady(string containerId) => !NotReady.Contains(containerId);

    public bool IsStarted(string containerId) => !NotStarted.Contains(containerId);
}
