using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.Dataplane.Tests.Netfilter.NetfilterSpecs;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.Sync;

/// <summary>Userspace mode in a private namespace: service addresses are redirected to the proxy's local port.</summary>
public sealed class UserspaceModeTests
{
    [Fact]
    public async Task Sync_ClusterIPExternalIPAndNodePort_RedirectToTheProxyPort()
    {
        var proxyPorts = new Dictionary<string, int>();
        await using var bed = NetfilterTestBed.Userspace(id => proxyPorts.TryGetValue(id.Name, out var p) ? p : null);
        // TCP servers on the node stand in for the proxy's listeners (on 0.0.0.0, as the engine binds them).
        proxyPorts["web"] = bed.NodeBackend("proxy-web", new IPEndPoint(IPAddress.Any, 0)).Port;
        proxyPorts["api"] = bed.NodeBackend("proxy-api", new IPEndPoint(IPAddress.Any, 0)).Port;
        var web = Tcp("web", "198.19.0.10", 80) with { NodePort = 30080, ExternalIPs = [IPAddress.Parse("198.19.9.9")] };
        bed.Syncer.Sync(SnapshotOf(web));

        Assert.Equal("proxy-web", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.19.0.10"), 80)));
        Assert.Equal("proxy-web", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.19.9.9"), 80)));
        Assert.Equal("proxy-web", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 30080)));
        Assert.Contains($"198.19.0.10 . tcp . 80 : {proxyPorts["web"]}", bed.ListTable());

        var result = bed.Syncer.Sync(SnapshotOf(web, Tcp("api", "198.19.0.11", 443)));

        // One element added to one map; nothing else rewritten.
        Assert.False(result.Full);
        Assert.Equal(1, result.Messages);
        Assert.Equal("proxy-api", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.19.0.11"), 443)));
        Assert.Empty(bed.Syncer.Verify());

        bed.Syncer.Sync(SnapshotOf(Tcp("api", "198.19.0.11", 443)));

        // web's addresses lead nowhere any more (its cluster IP is local in the namespace, and
        // nothing listens on port 80 there); api's still reaches its proxy port.
        Assert.True(await TcpClientHelpers.NothingListens(new IPEndPoint(IPAddress.Parse("198.19.0.10"), 80), bed.Namespace));
        Assert.True(await TcpClientHelpers.NothingListens(new IPEndPoint(IPAddress.Parse("198.19.9.9"), 80), bed.Namespace));
        Assert.True(await TcpClientHelpers.NothingListens(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 30080), bed.Namespace));
        Assert.Equal("proxy-api", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.19.0.11"), 443)));
        Assert.DoesNotContain("198.19.0.10 . tcp . 80", bed.ListTable(), StringComparison.Ordinal);
    }
}
