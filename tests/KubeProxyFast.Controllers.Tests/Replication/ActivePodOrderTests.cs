using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Controllers.Replication;

namespace KubeProxyFast.Controllers.Tests.Replication;

public sealed class ActivePodOrderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sort_PodsInEveryState_LeastWorthKeepingFirst()
    {
        Pod[] expected =
        [
            Make("unscheduled", node: null, PodPhases.Running, readySince: T0),
            Make("pending", node: "n", PodPhases.Pending),
            Make("unknown", node: "n", PodPhases.Unknown),
            Make("running-not-ready", node: "n", PodPhases.Running),
            Make("cheap", node: "n", PodPhases.Running, readySince: T0.AddMinutes(-10), cost: -5),
            Make("ready-lately", node: "n", PodPhases.Running, readySince: T0),
            Make("restarted", node: "n", PodPhases.Running, readySince: T0.AddMinutes(-10), restarts: 4),
            Make("newer", node: "n", PodPhases.Running, readySince: T0.AddMinutes(-10), created: T0.AddMinutes(-11)),
            Make("older", node: "n", PodPhases.Running, readySince: T0.AddMinutes(-10), created: T0.AddMinutes(-20)),
        ];
        var pods = expected.Reverse().ToList();

        pods.Sort(ActivePodOrder.Instance);

        Assert.Equal(expected.Select(p => p.Metadata.Name), pods.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void Compare_MissingTimes_SortBeforeAnyTime()
    {
        var noTime = Make("no-time", node: "n", PodPhases.Running);
        noTime.Metadata.CreationTimestamp = null;
        var timed = Make("timed", node: "n", PodPhases.Running, created: T0);

        Assert.True(ActivePodOrder.Instance.Compare(noTime, timed) < 0);
        Assert.True(ActivePodOrder.Instance.Compare(timed, noTime) > 0);
        Assert.Equal(0, ActivePodOrder.Instance.Compare(timed, Make("same", node: "n", PodPhases.Running, created: T0)));
    }

    [Fact]
    public void DeletionCost_NotAnInteger_CountsAsZero()
    {
        var bad = Make("bad", node: "n", PodPhases.Running, created: T0);
        bad.Metadata.Annotations = new() { [PodStates.DeletionCostAnnotation] = "lots" };

        Assert.Equal(0, PodStates.DeletionCost(bad));
        Assert.Equal(0, ActivePodOrder.Instance.Compare(bad, Make("plain", node: "n", PodPhases.Running, created: T0)));
    }

    private static Pod Make(string name, string? node, string phase, DateTimeOffset? readySince = null, int restarts = 0, int cost = 0, DateTimeOffset? created = null) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = "default",
            CreationTimestamp = created ?? T0.AddMinutes(-30),
            Annotations = cost == 0 ? null : new() { [PodStates.DeletionCostAnnotation] = cost.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        Spec = new PodSpec { NodeName = node },
        Status = new PodStatus
        {
            Phase = phase,
            Conditions = readySince is null ? null : [new PodCondition { Type = PodConditionTypes.Ready, Status = ConditionStatuses.True, LastTransitionTime = readySince }],
            ContainerStatuses = [new ContainerStatus { Name = "c", RestartCount = restarts }],
        },
    };
}
