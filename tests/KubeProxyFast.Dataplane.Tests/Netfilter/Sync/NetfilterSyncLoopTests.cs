using System.Net;
using KubeProxyFast.Dataplane.Netfilter.Sync;
using KubeProxyFast.Testing;
using static KubeProxyFast.Dataplane.Tests.Netfilter.NetfilterSpecs;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.Sync;

/// <summary>The sync loop in a private namespace: updates programmed, drift repaired on its own, rules removed on exit.</summary>
public sealed class NetfilterSyncLoopTests
{
    private static readonly IPEndPoint Service = new(IPAddress.Parse("198.19.0.10"), 80);
    private static readonly NetfilterSyncLoopOptions Fast = new() { MinSyncPeriod = TimeSpan.Zero, SyncPeriod = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Loop_UpdateThenTableDeletedBySomeone_ServesRepairsAndRemovesTheTableOnExit()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        var b2 = bed.Backend("b2", "198.18.1.2");
        var loop = bed.Namespace.Run(() => new NetfilterSyncLoop(Fast));
        try
        {
            loop.Update(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1)));
            Assert.True(loop.WaitIdle(TimeSpan.FromSeconds(10)));
            Assert.Equal("b1", await bed.Identify(Service));

            loop.Update(SnapshotOf(Tcp("web", "198.19.0.10", 80, b2)));
            Assert.True(loop.WaitIdle(TimeSpan.FromSeconds(10)));
            Assert.Equal("b2", await bed.Identify(Service));
            Assert.False(loop.LastSync!.Full);

            bed.Namespace.ExecChecked("nft", "delete", "table", "ip", "kpf");
            // The next periodic read-back (every 200 ms here) finds the table gone and puts it back.
            Assert.Equal(0, await Eventually.Value(() => bed.Namespace.Exec("nft", "list", "table", "ip", "kpf").ExitCode, 0, TimeSpan.FromSeconds(10)));
            Assert.Equal("b2", await bed.Identify(Service));
            Assert.Null(loop.LastError);
        }
        finally
        {
            loop.Dispose();
        }

        Assert.NotEqual(0, bed.Namespace.Exec("nft", "list", "table", "ip", "kpf").ExitCode);
    }

    [Fact]
    public async Task Loop_KeepRulesOnExit_LeavesTheTable()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        using (var loop = bed.Namespace.Run(() => new NetfilterSyncLoop(Fast with { KeepRulesOnExit = true })))
        {
            loop.Update(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1)));
            Assert.True(loop.WaitIdle(TimeSpan.FromSeconds(10)));
        }

        Assert.Equal("b1", await bed.Identify(Service));
    }

    [Fact]
    public async Task Loop_InexpressibleSnapshot_IsReportedAndThePreviousRulesStay()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        using var loop = bed.Namespace.Run(() => new NetfilterSyncLoop(Fast));
        loop.Update(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1)));
        Assert.True(loop.WaitIdle(TimeSpan.FromSeconds(10)));

        loop.Update(SnapshotOf(Tcp("web", "198.19.0.10", 70000, b1)));
        Assert.True(loop.WaitIdle(TimeSpan.FromSeconds(10)));

        Assert.Contains("port 70000 must be between 1 and 65535", loop.LastError);
        Assert.Equal(1, loop.Failures);
        Assert.Equal("b1", await bed.Identify(Service));
    }
}
