using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Pods.Status;
using static KubeProxyFast.Kubelet.Tests.Status.StatusFixtures;

namespace KubeProxyFast.Kubelet.Tests.Status;

public class TerminalStatusTests
{
    private readonly PodStatusBuilder _builder = new();
    private readonly FakeProbeResults _probes = new();

    [Fact]
    public void Of_RunningPod_FailedWithContainersUnknown()
    {
        var running = _builder.Build(Pod(), State(Sandbox(), Running("web", "c1")), _probes, HostIP, T0);

        var final = TerminalStatus.Of(running);

        Assert.Equal(PodPhases.Failed, final.Phase);
        var container = Assert.Single(final.ContainerStatuses!);
        Assert.Equal((137, Reasons.ContainerStatusUnknown), (container.State!.Terminated!.ExitCode, container.State.Terminated.Reason));
        Assert.Null(container.State.Running);
        Assert.False(container.Ready);
        Assert.False(container.Started);
        var ready = Assert.Single(final.Conditions!, c => c.Type == PodConditionTypes.Ready);
        Assert.Equal((ConditionStatuses.False, Reasons.PodFailed), (ready.Status, ready.Reason));
        Assert.Equal(PodPhases.Running, running.Phase);
    }

    [Fact]
    public void Of_AllExitedZeroUnderAlways_Succeeded()
    {
        var exited = _builder.Build(Pod(RestartPolicies.Always, "a", "b"), State(Sandbox(), Exited("a", "c1", 0), Exited("b", "c2", 0)), _probes, HostIP, T0);

        var final = TerminalStatus.Of(exited);

        Assert.Equal(PodPhases.Running, exited.Phase);
        Assert.Equal(PodPhases.Succeeded, final.Phase);
        Assert.All(final.ContainerStatuses!, c => Assert.Equal(Reasons.Completed, c.State!.Terminated!.Reason));
        Assert.Equal(Reasons.PodCompleted, Assert.Single(final.Conditions!, c => c.Type == PodConditionTypes.ContainersReady).Reason);
    }

    [Fact]
    public void Of_NeverStartedContainer_Failed()
    {
        var pending = _builder.Build(Pod(), State(Sandbox()).WithWaiting("web", Reasons.ImagePullBackOff, "Back-off pulling image"), _probes, HostIP, T0);

        var final = TerminalStatus.Of(pending);

        Assert.Equal(PodPhases.Failed, final.Phase);
        Assert.Equal(Reasons.ContainerStatusUnknown, Assert.Single(final.ContainerStatuses!).State!.Terminated!.Reason);
    }

    [Fact]
    public void Of_AlreadyTerminal_KeepsThePhase()
    {
        var failed = _builder.Build(Pod(RestartPolicies.Never), State(Sandbox(ready: false), Exited("web", "c1", 3)), _probes, HostIP, T0);

        var final = TerminalStatus.Of(failed);

        Assert.Equal(PodPhases.Failed, final.Phase);
        Assert.Equal((3, Reasons.Error), (Assert.Single(final.ContainerStatuses!).State!.Terminated!.ExitCode, final.ContainerStatuses![0].State!.Terminated!.Reason));
    }
}
