using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Kubelet.PodConfig;

namespace KubeProxyFast.Kubelet.Tests.PodConfig;

public sealed class ContainerResourcesTests
{
    private const long Gi = 1024L * 1024 * 1024;

    private static Container C(string name, string? cpuReq = null, string? cpuLim = null, string? memReq = null, string? memLim = null)
    {
        var requests = new Dictionary<string, Quantity>();
        var limits = new Dictionary<string, Quantity>();
        if (cpuReq is not null) { requests["cpu"] = Quantity.Parse(cpuReq); }
        if (memReq is not null) { requests["memory"] = Quantity.Parse(memReq); }
        if (cpuLim is not null) { limits["cpu"] = Quantity.Parse(cpuLim); }
        if (memLim is not null) { limits["memory"] = Quantity.Parse(memLim); }
        return new Container { Name = name, Image = "busybox", Resources = new() { Requests = requests, Limits = limits } };
    }

    private static Pod P(params Container[] containers) => new() { Metadata = new() { Name = "p" }, Spec = new() { Containers = [.. containers] } };

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(100, 102)]
    [InlineData(250, 256)]
    [InlineData(1000, 1024)]
    [InlineData(1_000_000, 262_144)]
    public void MilliCpuToShares_AsKubernetes(long milli, long shares)
    {
        Assert.Equal(shares, ContainerResources.MilliCpuToShares(milli));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 1000)]
    [InlineData(10, 1000)]
    [InlineData(250, 25_000)]
    [InlineData(1500, 150_000)]
    public void MilliCpuToQuota_AsKubernetes(long milli, long quota)
    {
        Assert.Equal(quota, ContainerResources.MilliCpuToQuota(milli, 100_000));
    }

    [Fact]
    public void For_RequestsAndLimits_GiveSharesQuotaPeriodAndMemory()
    {
        var container = C("c", cpuReq: "250m", cpuLim: "500m", memReq: "64Mi", memLim: "128Mi");

        var r = ContainerResources.For(P(container), container, 4 * Gi);

        Assert.Equal((256L, 50_000L, 100_000L, 128L * 1024 * 1024), (r.CpuShares, r.CpuQuota, r.CpuPeriod, r.MemoryLimitInBytes));
    }

    [Fact]
    public void For_OnlyLimit_SharesFromTheLimit_NoRequestsNoLimits_MinimumShares()
    {
        var limited = C("c", cpuLim: "1");
        var none = C("n");

        Assert.Equal(1024, ContainerResources.For(P(limited), limited, 4 * Gi).CpuShares);
        var r = ContainerResources.For(P(none), none, 4 * Gi);
        Assert.Equal((2L, 0L, 0L), (r.CpuShares, r.CpuQuota, r.MemoryLimitInBytes));
    }

    [Fact]
    public void QosClass_AsKubernetes()
    {
        Assert.Equal(QosClasses.BestEffort, ContainerResources.QosClass(P(C("a"), C("b"))));
        Assert.Equal(QosClasses.Guaranteed, ContainerResources.QosClass(P(C("a", "1", "1", "1Gi", "1Gi"))));
        Assert.Equal(QosClasses.Guaranteed, ContainerResources.QosClass(P(C("a", cpuLim: "1", memLim: "1Gi")))); // requests default to limits
        Assert.Equal(QosClasses.Burstable, ContainerResources.QosClass(P(C("a", "1", "1", "1Gi", "1Gi"), C("b"))));
        Assert.Equal(QosClasses.Burstable, ContainerResources.QosClass(P(C("a", "500m", "1", "1Gi", "1Gi"))));
        Assert.Equal(QosClasses.Burstable, ContainerResources.QosClass(P(C("a", memReq: "10Mi"))));
    }

    [Fact]
    public void OomScoreAdjust_ByQosClass()
    {
        var guaranteed = C("g", "1", "1", "1Gi", "1Gi");
        var bestEffort = C("b");
        var burstable = C("u", memReq: "1Gi");
        var tiny = C("t", cpuReq: "100m");
        var huge = C("h", memReq: "4Gi");

        Assert.Equal(-997, ContainerResources.OomScoreAdjust(P(guaranteed), guaranteed, 4 * Gi));
        Assert.Equal(1000, ContainerResources.OomScoreAdjust(P(bestEffort), bestEffort, 4 * Gi));
        Assert.Equal(750, ContainerResources.OomScoreAdjust(P(burstable), burstable, 4 * Gi));
        Assert.Equal(999, ContainerResources.OomScoreAdjust(P(tiny), tiny, 4 * Gi));
        Assert.Equal(3, ContainerResources.OomScoreAdjust(P(huge), huge, 4 * Gi));
    }

    [Fact]
    public void OomScoreAdjust_NodeCriticalPod_IsGuaranteedScore()
    {
        var container = C("c");
        var pod = P(container);
        pod.Spec!.Priority = ContainerResources.SystemCriticalPriority;

        Assert.Equal(-997, ContainerResources.OomScoreAdjust(pod, container, 4 * Gi));
    }
}
