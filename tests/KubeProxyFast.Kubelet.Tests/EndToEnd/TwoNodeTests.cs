using System.Net;
using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>Two kubelets on two machines (namespaces) on one switch, one server: pod-to-pod across nodes over the host-gw routes.</summary>
[Collection(SharedNodeGroup.Name)]
public sealed class TwoNodeTests(SharedNode shared)
{
    [Fact]
    public async Task PodOnOneNode_ReachesPodOnTheOther_ByPodIpWithoutNat()
    {
        await using var cluster = await KubeletCluster.StartAsync(
            new KubeletNodeOptions { NodeName = "node-a", Address = "198.18.0.11", ImageArchives = [shared.ImageArchive] },
            new KubeletNodeOptions { NodeName = "node-b", Address = "198.18.0.12", ImageArchives = [shared.ImageArchive] });
        var (a, b) = (cluster["node-a"], cluster["node-b"]);

        // httpd's CGI gets the peer's address as REMOTE_ADDR: the server tells who reached it.
        var server = new PodBuilder(a, "server").Container("web",
            "mkdir -p /www/cgi-bin; echo from-node-a > /www/index.html; " +
            "printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' > /www/cgi-bin/peer; chmod +x /www/cgi-bin/peer; " +
            "exec httpd -f -p 8080 -h /www");
        await a.CreatePodAsync(server);
        var serverIp = E2e.PodIp(await a.WaitRunningAsync(server))!;
        var client = new PodBuilder(b, "client").Container("c", E2e.Put +
            $"until wget -q -O /tmp/got http://{serverIp}:8080/index.html; do sleep 0.5; done; cat /tmp/got | put fetched; " +
            $"wget -q -O - http://{serverIp}:8080/cgi-bin/peer | put peer; exec sleep 3600");
        await b.CreatePodAsync(client);
        var clientIp = E2e.PodIp(await b.WaitRunningAsync(client))!;

        Assert.True(IPNetwork.Parse(await KubeletCluster.PodCidrOfAsync(a)).Contains(IPAddress.Parse(serverIp)), $"{serverIp} in node-a's pod CIDR");
        Assert.True(IPNetwork.Parse(await KubeletCluster.PodCidrOfAsync(b)).Contains(IPAddress.Parse(clientIp)), $"{clientIp} in node-b's pod CIDR");
        Assert.Equal("from-node-a\n", await b.ReadOutAsync(client, "fetched", TimeSpan.FromSeconds(90)));
        // httpd listens on a dual-stack socket: an IPv4 peer is written as [::ffff:a.b.c.d].
        var peer = IPAddress.Parse((await b.ReadOutAsync(client, "peer")).Trim().Trim('[', ']'));
        Assert.Equal(IPAddress.Parse(clientIp), peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer);
    }
}
