using System.Net;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.Testing;

namespace KubeProxyFast.KubeProxy.Tests.Netfilter;

/// <summary>
/// The sync loop in a private node namespace (cluster IPs local, pods behind a veth pair): updates
/// programmed, drift repaired by the periodic run, rules removed on exit; its timing on a fake clock.
/// </summary>
public sealed class NetfilterSyncLoopTests : IDisposable
{
    private static readonly IPEndPoint Service = new(IPAddress.Parse("198.19.0.10"), 80);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly NetworkNamespace _node = NetworkNamespace.Create("198.19.0.0/16", "198.18.0.0/24");
    private readonly PodNetwork _pods;
    private readonly List<TcpBackend> _backends = [];

    public NetfilterSyncLoopTests() => _pods = PodNetwork.Attach(_node, "198.18.1.1", "198.18.1.2", "198.18.1.3");

    public void Dispose()
    {
        foreach (var backend in _backends)
        {
            backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _pods.Dispose();
        _node.Dispose();
    }

    [Fact]
    public async Task Loop_UpdatesWithinAndBeyondTheBurst_RunAsTheFakeClockAllowsAndThePeriodicRunRepairs()
    {
        var time = new FakeTimeProvider();
        var options = new NetfilterSyncLoopOptions { MinSyncPeriod = TimeSpan.FromSeconds(1), SyncPeriod = TimeSpan.FromSeconds(30) };
        var loop = _node.Run(() => new NetfilterSyncLoop(options, time: time));
        try
        {
            // A burst of two syncs runs at once.
            loop.Update(SnapshotOf(Backend("b1", "198.18.1.1")));
            Assert.True(loop.WaitIdle(Wait));
            Assert.Equal("b1", await Identify());
            loop.Update(SnapshotOf(Backend("b2", "198.18.1.2")));
            Assert.True(loop.WaitIdle(Wait));
            Assert.Equal("b2", await Identify());

            // The third waits for the clock: no run happens while it stands still.
            loop.Update(SnapshotOf(Backend("b3", "198.18.1.3")));
            Assert.False(loop.WaitIdle(TimeSpan.FromMilliseconds(300)));
            Assert.Equal("b2", await Identify());
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(loop.WaitIdle(Wait));
            Assert.Equal("b3", await Identify());
            Assert.Equal(3, loop.Syncs);

            // Someone deletes the table: nothing notices until the periodic run reads it back.
            _node.ExecChecked("nft", "delete", "table", "ip", "kpf");
            time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(0, await Eventually.Value(() => _node.Exec("nft", "list", "table", "ip", "kpf").ExitCode, 0, Wait));
            Assert.Equal("b3", await Identify());
            Assert.Null(loop.LastError);
        }
        finally
        {
            loop.Dispose();
        }

        Assert.NotEqual(0, _node.Exec("nft", "list", "table", "ip", "kpf").ExitCode);
    }

    [Fact]
    public async Task Loop_KeepRulesOnExit_LeavesTheTable()
    {
        using (var loop = _node.Run(() => new NetfilterSyncLoop(new NetfilterSyncLoopOptions { MinSyncPeriod = TimeSpan.Zero, KeepRulesOnExit = true })))
        {
            loop.Update(SnapshotOf(Backend("b1", "198.18.1.1")));
            Assert.True(loop.WaitIdle(Wait));
        }

        Assert.Equal("b1", await Identify());
    }

    [Fact]
    public async Task Loop_InexpressibleSnapshot_IsReportedAndThePreviousRulesStay()
    {
        using var loop = _node.Run(() => new NetfilterSyncLoop(new NetfilterSyncLoopOptions { MinSyncPeriod = TimeSpan.Zero }));
        var b1 = Backend("b1", "198.18.1.1");
        loop.Update(SnapshotOf(b1));
        Assert.True(loop.WaitIdle(Wait));

        loop.Update(new ProxySnapshot([Spec(b1) with { Port = 70000 }]));
        Assert.True(loop.WaitIdle(Wait));

        Assert.Contains("port 70000 must be between 1 and 65535", loop.LastError);
        Assert.Equal(1, loop.Failures);
        Assert.Equal("b1", await Identify());
    }

    private IPEndPoint Backend(string name, string address)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(address), 8080);
        _backends.Add(_pods.Pods.Run(() => new TcpBackend(name, bind: endPoint)));
        return endPoint;
    }

    private Task<string> Identify() => TcpClientHelpers.Identify(Service, inside: _node);

    private static ServicePortSpec Spec(IPEndPoint endpoint) => new()
    {
        Id = new ServicePortId("default", "web", "http"),
        Protocol = L4Protocol.Tcp,
        ClusterIP = Service.Address,
        Port = Service.Port,
        Endpoints = [endpoint],
    };

    private static ProxySnapshot SnapshotOf(IPEndPoint endpoint) => new([Spec(endpoint)]);
}
