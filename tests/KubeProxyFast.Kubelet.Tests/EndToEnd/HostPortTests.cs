using System.Text.Json.Nodes;
using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

[Collection(SharedNodeGroup.Name)]
public sealed class HostPortTests(SharedNode shared)
{
    [Fact]
    public async Task HostPort_PodServes_ReachableOnTheNodesAddressFromTheNode()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("hostport"))
            .Container("web", "echo served-through-hostport > /tmp/index.html; exec httpd -f -p 8080 -h /tmp", c =>
                c["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["hostPort"] = 30080, ["protocol"] = "TCP" }));
        await node.CreatePodAsync(pod);
        try
        {
            await node.WaitRunningAsync(pod);

            var url = new Uri($"http://{node.Address}:30080/index.html");
            string? body = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (body is null)
            {
                try
                {
                    body = await node.Http.GetStringAsync(url);
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(250); // httpd starting
                }
            }

            Assert.Equal("served-through-hostport\n", body);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }
}
