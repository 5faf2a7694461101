using KubeProxyFast.Kubelet.PodConfig;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Kubelet.Pods.Status;
using static KubeProxyFast.Kubelet.Tests.Status.StatusFixtures;
using ApiContainerStatus = KubeProxyFast.Api.Core.ContainerStatus;

namespace KubeProxyFast.Kubelet.Tests.Status;

public class PodStatusBuilderTests
{
    private readonly PodStatusBuilder _builder = new();
    private readonly FakeProbeResults _probes = new();

    private PodStatus Build(Pod pod, KubeProxyFast.Kubelet.Pods.PodRuntimeState state, DateTimeOffset? now = null, PodStatus? old = null, bool terminal = false) =>
        _builder.Build(pod, state, _probes, HostIP, now ?? T0, old, terminal);

    private static ApiContainerStatus Only(PodStatus status) => Assert.Single(status.ContainerStatuses!);

    private static PodCondition Condition(PodStatus status, string type) => Assert.Single(status.Conditions!, c => c.Type == type);

    [Fact]
    public void Build_NothingCreatedYet_IsPendingAndContainerCreating()
    {
        var status = Build(Pod(), State(null));

        Assert.Equal(PodPhases.Pending, status.Phase);
        var container = Only(status);
        Assert.Equal(Reasons.ContainerCreating, container.State!.Waiting!.Reason);
        Assert.Equal("busybox:1.36", container.Image);
        Assert.Equal("", container.ImageID);
        Assert.Null(container.ContainerID);
        Assert.False(container.Ready);
        Assert.False(container.Started);
        Assert.Equal(HostIP, status.HostIP);
        Assert.Null(status.PodIP);
        Assert.Equal(T0, status.StartTime);
        Assert.Equal(QosClasses.BestEffort, status.QosClass);
        Assert.Equal(ConditionStatuses.False, Condition(status, ConditionTypes.PodReadyToStartContainers).Status);
        Assert.Equal(ConditionStatuses.True, Condition(status, PodConditionTypes.Initialized).Status);
        var ready = Condition(status, PodConditionTypes.Ready);
        Assert.Equal((ConditionStatuses.False, Reasons.ContainersNotReady, "containers with unready status: [web]"), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal(ConditionStatuses.False, Condition(status, PodConditionTypes.ContainersReady).Status);
    }

    [Fact]
    public void Build_Conditions_AreInKubernetesOrderAfterOthers()
    {
        var pod = Pod();
        pod.Status!.Conditions!.Add(new PodCondition { Type = "DisruptionTarget", Status = ConditionStatuses.True, Reason = "DeletionByTaintManager" });

        var status = Build(pod, State(Sandbox(), Running("web", "c1")));

        Assert.Equal(
            ["DisruptionTarget", "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"],
            status.Conditions!.Select(c => c.Type));
        Assert.Equal("DeletionByTaintManager", status.Conditions![0].Reason);
    }

    [Theory]
    [InlineData(Reasons.ErrImagePull, "failed to pull and unpack image \"docker.io/library/nope:1\": not found")]
    [InlineData(Reasons.ImagePullBackOff, "Back-off pulling image \"nope:1\"")]
    [InlineData(Reasons.CreateContainerConfigError, "configmap \"cfg\" not found")]
    [InlineData(Reasons.ContainerCreating, null)]
    public void Build_WaitingReason_IsTheStateAndPodIsPending(string reason, string? message)
    {
        var status = Build(Pod(), State(Sandbox()).WithWaiting("web", reason, message));

        var waiting = Only(status).State!.Waiting!;
        Assert.Equal((reason, message), (waiting.Reason, waiting.Message));
        Assert.Null(Only(status).State!.Running);
        Assert.Equal(PodPhases.Pending, status.Phase);
    }

    [Fact]
    public void Build_CrashLoopBackOff_WaitsWithTheExitedInstanceAsLastState()
    {
        var state = State(Sandbox(), Exited("web", "c3", 2, attempt: 3)).WithWaiting("web", Reasons.CrashLoopBackOff, "back-off 40s restarting failed container=web pod=p_default(uid-1)");

        var status = Build(Pod(), state);

        var container = Only(status);
        Assert.Equal(Reasons.CrashLoopBackOff, container.State!.Waiting!.Reason);
        Assert.Equal("back-off 40s restarting failed container=web pod=p_default(uid-1)", container.State.Waiting.Message);
        var last = container.LastState!.Terminated!;
        Assert.Equal((2, Reasons.Error, "containerd://c3"), (last.ExitCode, last.Reason, last.ContainerID));
        Assert.Equal(3, container.RestartCount);
        Assert.Equal("containerd://c3", container.ContainerID);
        // A container between restarts keeps the pod Running, as Kubernetes shows a crash-looping pod.
        Assert.Equal(PodPhases.Running, status.Phase);
    }

    [Fact]
    public void Build_Running_ReportsTheInstance()
    {
        var status = Build(Pod(), State(Sandbox(), Running("web", "c1")));

        var container = Only(status);
        Assert.Equal(T0, container.State!.Running!.StartedAt);
        Assert.Equal("containerd://c1", container.ContainerID);
        Assert.Equal(ImageRef, container.ImageID);
        Assert.Equal("busybox:1.36", container.Image);
        Assert.True(container.Ready);
        Assert.True(container.Started);
        Assert.Equal(0, container.RestartCount);
        Assert.Null(container.LastState);
        Assert.Equal(PodPhases.Running, status.Phase);
        Assert.Equal(PodAddress, status.PodIP);
        Assert.Equal([PodAddress], status.PodIPs!.Select(ip => ip.Ip));
        Assert.All(status.Conditions!, c => Assert.Equal(ConditionStatuses.True, c.Status));
    }

    [Theory]
    [InlineData(0, "", Reasons.Completed)]
    [InlineData(1, "", Reasons.Error)]
    [InlineData(137, "OOMKilled", Reasons.OOMKilled)]
    [InlineData(0, "Completed", Reasons.Completed)]
    [InlineData(2, "Error", Reasons.Error)]
    public void Build_Exited_ReportsTerminatedWithKubernetesReason(int exitCode, string criReason, string reason)
    {
        var status = Build(Pod(RestartPolicies.Never), State(Sandbox(), Exited("web", "c1", exitCode, criReason, "bye")));

        var terminated = Only(status).State!.Terminated!;
        Assert.Equal(exitCode, terminated.ExitCode);
        Assert.Equal(reason, terminated.Reason);
        Assert.Equal("bye", terminated.Message);
        Assert.Equal(T0, terminated.StartedAt);
        Assert.Equal(T0.AddSeconds(5), terminated.FinishedAt);
        Assert.Equal("containerd://c1", terminated.ContainerID);
        Assert.False(Only(status).Ready);
        Assert.False(Only(status).Started);
    }

    [Theory]
    [InlineData(RestartPolicies.Always, 0, false, PodPhases.Running)]
    [InlineData(RestartPolicies.Always, 1, false, PodPhases.Running)]
    [InlineData(RestartPolicies.OnFailure, 0, false, PodPhases.Succeeded)]
    [InlineData(RestartPolicies.OnFailure, 1, false, PodPhases.Running)]
    [InlineData(RestartPolicies.Never, 0, false, PodPhases.Succeeded)]
    [InlineData(RestartPolicies.Never, 1, false, PodPhases.Failed)]
    [InlineData(RestartPolicies.Always, 0, true, PodPhases.Succeeded)]
    [InlineData(RestartPolicies.Always, 1, true, PodPhases.Failed)]
    [InlineData(RestartPolicies.OnFailure, 1, true, PodPhases.Failed)]
    public void Build_AllExited_PhaseFollowsRestartPolicy(string policy, int exitCode, bool terminal, string phase)
    {
        var state = State(Sandbox(), Exited("a", "c1", 0), Exited("b", "c2", exitCode));

        var status = Build(Pod(policy, "a", "b"), state, terminal: terminal);

        Assert.Equal(phase, status.Phase);
    }

    [Theory]
    [InlineData(PodPhases.Succeeded, Reasons.PodCompleted)]
    [InlineData(PodPhases.Failed, Reasons.PodFailed)]
    public void Build_TerminalPhase_ReadyConditionsCarryItsReason(string phase, string reason)
    {
        var exitCode = phase == PodPhases.Succeeded ? 0 : 1;

        var status = Build(Pod(RestartPolicies.Never), State(Sandbox(ready: false), Exited("web", "c1", exitCode)));

        Assert.Equal(phase, status.Phase);
        Assert.Equal((ConditionStatuses.False, reason), (Condition(status, PodConditionTypes.Ready).Status, Condition(status, PodConditionTypes.Ready).Reason));
        Assert.Equal(reason, Condition(status, PodConditionTypes.ContainersReady).Reason);
        Assert.Equal(phase == PodPhases.Succeeded ? Reasons.PodCompleted : null, Condition(status, PodConditionTypes.Initialized).Reason);
    }

    [Fact]
    public void Build_OneRunningOneWaiting_IsPending()
    {
        var state = State(Sandbox(), Running("a", "c1")).WithWaiting("b", Reasons.ImagePullBackOff, "Back-off pulling image");

        var status = Build(Pod(RestartPolicies.Always, "a", "b"), state);

        Assert.Equal(PodPhases.Pending, status.Phase);
        Assert.Equal("containers with unready status: [b]", Condition(status, PodConditionTypes.ContainersReady).Message);
    }

    [Fact]
    public void Build_ReadinessFlips_ReadyConditionAndItsTransitionTime()
    {
        var pod = Pod();
        var state = State(Sandbox(), Running("web", "c1"));
        _probes.NotReady.Add("c1");

        var first = Build(pod, state, T0);
        _probes.NotReady.Clear();
        var second = Build(pod, state, T0.AddSeconds(10), first);
        var third = Build(pod, state, T0.AddSeconds(20), second);

        Assert.False(Only(first).Ready);
        Assert.True(Only(first).Started);
        Assert.Equal(ConditionStatuses.False, Condition(first, PodConditionTypes.Ready).Status);
        Assert.Equal(PodPhases.Running, first.Phase);
        Assert.True(Only(second).Ready);
        Assert.Equal((ConditionStatuses.True, T0.AddSeconds(10)), (Condition(second, PodConditionTypes.Ready).Status, Condition(second, PodConditionTypes.Ready).LastTransitionTime));
        Assert.Equal(T0.AddSeconds(10), Condition(third, PodConditionTypes.Ready).LastTransitionTime);
        // Unchanged conditions keep their first transition time; PodScheduled keeps the scheduler's.
        Assert.Equal(T0, Condition(third, PodConditionTypes.Initialized).LastTransitionTime);
        Assert.Equal(T0.AddMinutes(-1), Condition(third, PodConditionTypes.PodScheduled).LastTransitionTime);
        Assert.Equal(T0, third.StartTime);
    }

    [Fact]
    public void Build_StartupProbeNotPassed_NotStartedNorReady()
    {
        _probes.NotStarted.Add("c1");

        var status = Build(Pod(), State(Sandbox(), Running("web", "c1")));

        Assert.False(Only(status).Started);
        Assert.False(Only(status).Ready);
        Assert.NotNull(Only(status).State!.Running);
    }

    [Fact]
    public void Build_RestartedContainer_PreviousInstanceIsLastState()
    {
        var state = State(Sandbox(), Running("web", "c2", attempt: 1, started: T0.AddSeconds(30)), Exited("web", "c1", 137, "OOMKilled"));

        var container = Only(Build(Pod(), state));

        Assert.Equal(1, container.RestartCount);
        Assert.Equal("containerd://c2", container.ContainerID);
        Assert.Equal(T0.AddSeconds(30), container.State!.Running!.StartedAt);
        Assert.Equal((137, Reasons.OOMKilled, "containerd://c1"), (container.LastState!.Terminated!.ExitCode, container.LastState.Terminated.Reason, container.LastState.Terminated.ContainerID));
    }

    [Fact]
    public void Build_RestartCount_ComesFromTheAnnotation()
    {
        var running = Running("web", "c9", attempt: 0);
        running.Annotations[KubeProxyFast.Kubelet.Pods.KubeletLabels.ContainerRestartCount] = "7";

        Assert.Equal(7, Only(Build(Pod(), State(Sandbox(), running))).RestartCount);
    }

    [Fact]
    public void Build_ContainerGoneAfterRunning_LastStateIsUnknownAndCounted()
    {
        var pod = Pod();
        var running = Build(pod, State(Sandbox(), Running("web", "c1")));

        var status = Build(pod, State(Sandbox()), T0.AddSeconds(5), running);

        var container = Only(status);
        Assert.Equal(Reasons.ContainerCreating, container.State!.Waiting!.Reason);
        Assert.Equal((137, Reasons.ContainerStatusUnknown), (container.LastState!.Terminated!.ExitCode, container.LastState.Terminated.Reason));
        Assert.Equal(1, container.RestartCount);
    }

    [Fact]
    public void Build_ContainerStatuses_AreSortedByName()
    {
        var status = Build(Pod(RestartPolicies.Always, "zeta", "alpha", "mid"), State(Sandbox()));

        Assert.Equal(["alpha", "mid", "zeta"], status.ContainerStatuses!.Select(c => c.Name));
    }

    [Fact]
    public void Build_DualStackSandbox_IPv4FirstThenIPv6()
    {
        var sandbox = Sandbox(ip: "2001:db8::5");
        sandbox.Network.AdditionalIps.Add(new Cri.V1.PodIP { Ip = PodAddress });
        sandbox.Network.AdditionalIps.Add(new Cri.V1.PodIP { Ip = "198.18.64.6" });

        var status = Build(Pod(), State(sandbox));

        Assert.Equal(PodAddress, status.PodIP);
        Assert.Equal([PodAddress, "2001:db8::5"], status.PodIPs!.Select(ip => ip.Ip));
    }

    [Fact]
    public void Build_SandboxStopped_KeepsTheKnownPodIP()
    {
        var pod = Pod(RestartPolicies.Never);
        var running = Build(pod, State(Sandbox(), Running("web", "c1")));

        var stopped = Build(pod, State(Sandbox(ready: false, ip: ""), Exited("web", "c1", 0)), T0.AddSeconds(9), running);

        Assert.Equal(PodAddress, stopped.PodIP);
        Assert.Equal(PodPhases.Succeeded, stopped.Phase);
        Assert.Equal(ConditionStatuses.False, Condition(stopped, ConditionTypes.PodReadyToStartContainers).Status);
    }

    [Fact]
    public void Build_HostNetworkPod_TakesTheNodeIP()
    {
        var pod = Pod();
        pod.Spec!.HostNetwork = true;

        var status = Build(pod, State(Sandbox(ip: "")));

        Assert.Equal(HostIP, status.PodIP);
        Assert.Equal(ConditionStatuses.True, Condition(status, ConditionTypes.PodReadyToStartContainers).Status);
    }

    [Fact]
    public void Build_TerminalPhaseOnTheApi_IsNeverLeft()
    {
        var pod = Pod(RestartPolicies.Never);
        pod.Status!.Phase = PodPhases.Succeeded;
        pod.Status.Reason = "Done";

        var status = Build(pod, State(null));

        Assert.Equal(PodPhases.Succeeded, status.Phase);
        Assert.Equal("Done", status.Reason);
    }

    [Fact]
    public void Build_StartTime_KeptOnceSet()
    {
        var pod = Pod();
        pod.Status!.StartTime = T0.AddHours(-1);

        Assert.Equal(T0.AddHours(-1), Build(pod, State(null), T0).StartTime);
    }

    [Fact]
    public void Build_DeletedPod_WaitingReasonNotApplied()
    {
        var pod = Pod();
        pod.Metadata.DeletionTimestamp = T0;

        var status = Build(pod, State(Sandbox(), Exited("web", "c1", 1)).WithWaiting("web", Reasons.CrashLoopBackOff, "back-off"));

        Assert.Equal(Reasons.Error, Only(status).State!.Terminated!.Reason);
    }

    [Fact]
    public void Build_CustomRuntimeName_PrefixesContainerIds()
    {
        var status = new PodStatusBuilder("cri-o").Build(Pod(), State(Sandbox(), Running("web", "c1")), _probes, HostIP, T0);

        Assert.Equal("cri-o://c1", Only(status).ContainerID);
    }

    [Theory]
    [InlineData(null, null, null, null, QosClasses.BestEffort)]
    [InlineData("100m", null, null, null, QosClasses.Burstable)]
    [InlineData("100m", "64Mi", "100m", "64Mi", QosClasses.Guaranteed)]
    [InlineData(null, null, "100m", "64Mi", QosClasses.Guaranteed)]
    [InlineData("50m", "64Mi", "100m", "64Mi", QosClasses.Burstable)]
    [InlineData(null, null, "100m", null, QosClasses.Burstable)]
    public void Build_QosClass_AsKubernetes(string? cpuRequest, string? memoryRequest, string? cpuLimit, string? memoryLimit, string qos)
    {
        var pod = Pod();
        pod.Spec!.Containers![0].Resources = new ResourceRequirements { Requests = Resources(cpuRequest, memoryRequest), Limits = Resources(cpuLimit, memoryLimit) };

        Assert.Equal(qos, Build(pod, State(null)).QosClass);
    }

    private static Dictionary<string, Quantity>? Resources(string? cpu, string? memory)
    {
        var resources = new Dictionary<string, Quantity>();
        if (cpu is not null)
        {
            resources["cpu"] = Quantity.Parse(cpu);
        }

        if (memory is not null)
        {
            resources["memory"] = Quantity.Parse(memory);
        }

        return resources.Count == 0 ? null : resources;
    }
}
