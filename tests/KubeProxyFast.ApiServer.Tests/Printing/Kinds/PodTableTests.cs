using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Printing;

namespace KubeProxyFast.ApiServer.Tests.Printing.Kinds;

public sealed class PodTableTests
{
    private static IReadOnlyList<object> Cells(Pod pod) =>
        Fixtures.Printer().Print("pods", [pod], new TablePrintOptions()).Rows[0].Cells;

    private static Pod Pod(PodStatus? status = null, int containers = 1) => new()
    {
        Metadata = new ObjectMeta { Name = "web-1", Namespace = "default", CreationTimestamp = Fixtures.Ago(200) },
        Spec = new PodSpec { Containers = [.. Enumerable.Range(0, containers).Select(i => new Container { Name = "c" + i, Image = "nginx" })], NodeName = "n1" },
        Status = status,
    };

    private static ContainerStatus Running(bool ready, int restarts = 0) => new()
    {
        Name = "c", Ready = ready, RestartCount = restarts, State = new ContainerState { Running = new ContainerStateRunning() },
    };

    [Fact]
    public void Print_Columns_MatchKubernetes()
    {
        var columns = Fixtures.Printer().Print("pods", [], new TablePrintOptions()).ColumnDefinitions;

        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], columns.Select(c => c.Priority));
        Assert.Equal("name", columns[0].Format);
        Assert.Equal("integer", columns[3].Type);
    }

    [Fact]
    public void Print_RunningPod_ShowsReadyRestartsAgeAndWideCells()
    {
        var pod = Pod(new PodStatus { Phase = "Running", PodIP = "198.18.0.5", ContainerStatuses = [Running(true, 2), Running(false, 1)] }, containers: 2);

        Assert.Equal(["web-1", "1/2", "Running", 3L, "3m20s", "198.18.0.5", "n1", "<none>", "<none>"], Cells(pod));
    }

    [Fact]
    public void Print_NoStatus_PendingWithNonePlaceholders()
    {
        var pod = Pod(new PodStatus { Phase = "Pending" });
        pod.Spec!.NodeName = null;

        Assert.Equal(["web-1", "0/1", "Pending", 0L, "3m20s", "<none>", "<none>", "<none>", "<none>"], Cells(pod));
    }

    [Fact]
    public void Print_WaitingContainer_ShowsWaitingReason()
    {
        var waiting = new ContainerStatus { Name = "c", State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ContainerCreating" } } };

        Assert.Equal("ContainerCreating", Cells(Pod(new PodStatus { Phase = "Pending", ContainerStatuses = [waiting] }))[2]);
    }

    [Theory]
    [InlineData("OOMKilled", null, 137, "OOMKilled")]
    [InlineData(null, 9, 137, "Signal:9")]
    [InlineData(null, null, 2, "ExitCode:2")]
    public void Print_TerminatedContainer_ShowsReasonSignalOrExitCode(string? reason, int? signal, int exitCode, string expected)
    {
        var terminated = new ContainerStatus
        {
            Name = "c", State = new ContainerState { Terminated = new ContainerStateTerminated { Reason = reason, Signal = signal, ExitCode = exitCode } },
        };

        Assert.Equal(expected, Cells(Pod(new PodStatus { Phase = "Failed", ContainerStatuses = [terminated] }))[2]);
    }

    [Fact]
    public void Print_FirstContainerReason_Wins()
    {
        var first = new ContainerStatus { Name = "a", State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ImagePullBackOff" } } };
        var second = new ContainerStatus { Name = "b", State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ContainerCreating" } } };

        Assert.Equal("ImagePullBackOff", Cells(Pod(new PodStatus { Phase = "Pending", ContainerStatuses = [first, second] }, 2))[2]);
    }

    [Theory]
    [InlineData("True", "Running")]
    [InlineData("False", "NotReady")]
    public void Print_CompletedBesideRunning_RunningOrNotReady(string readyCondition, string expected)
    {
        var completed = new ContainerStatus { Name = "a", State = new ContainerState { Terminated = new ContainerStateTerminated { Reason = "Completed" } } };
        var status = new PodStatus
        {
            Phase = "Running",
            ContainerStatuses = [completed, Running(true)],
            Conditions = [new PodCondition { Type = "Ready", Status = readyCondition }],
        };

        Assert.Equal(expected, Cells(Pod(status, 2))[2]);
    }

    [Theory]
    [InlineData(null, "Terminating")]
    [InlineData("NodeLost", "Unknown")]
    public void Print_DeletionRequested_TerminatingOrUnknown(string? reason, string expected)
    {
        var pod = Pod(new PodStatus { Phase = "Running", Reason = reason, ContainerStatuses = [Running(true)] });
        pod.Metadata.DeletionTimestamp = Fixtures.Now;

        Assert.Equal(expected, Cells(pod)[2]);
    }

    [Fact]
    public void Print_PodReason_OverridesPhase()
    {
        Assert.Equal("Evicted", Cells(Pod(new PodStatus { Phase = "Failed", Reason = "Evicted" }))[2]);
    }

    [Fact]
    public void Print_PodIPs_FirstWins()
    {
        var pod = Pod(new PodStatus { Phase = "Running", PodIP = "198.18.0.5", PodIPs = [new PodIP { Ip = "fd00::5" }, new PodIP { Ip = "198.18.0.5" }] });

        Assert.Equal("fd00::5", Cells(pod)[5]);
    }
}
