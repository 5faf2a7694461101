using System.Text.Json.Nodes;
using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>
/// Liveness and readiness as users see them. The probes test a file in the pod's hostPath /out,
/// which the test creates and removes: the probe's outcome is the test's to decide.
/// </summary>
[Collection(SharedNodeGroup.Name)]
public sealed class ProbeTests(SharedNode shared)
{
    [Fact]
    public async Task Liveness_ProbeStartsFailing_ContainerRestarted()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("liveness"))
            .Container("c", "exec sleep 3600", c => c["livenessProbe"] = PodBuilder.ExecProbe("test -f /out/alive"));
        File.WriteAllText(Path.Combine(pod.OutDirectory, "alive"), "");
        await node.CreatePodAsync(pod);
        try
        {
            var running = await node.WaitRunningAsync(pod);
            Assert.Equal(0, E2e.RestartCount(running, "c"));
            var firstId = (string?)E2e.ContainerStatus(running, "c")!["containerID"];

            File.Delete(Path.Combine(pod.OutDirectory, "alive"));
            var restarted = await node.WaitPodAsync(pod, p => E2e.RestartCount(p, "c") >= 1, "restarted by its liveness probe");
            File.WriteAllText(Path.Combine(pod.OutDirectory, "alive"), "");

            Assert.NotNull(E2e.ContainerStatus(restarted, "c")!["lastState"]!["terminated"]);
            var again = await node.WaitRunningAsync(pod);
            Assert.NotEqual(firstId, (string?)E2e.ContainerStatus(again, "c")!["containerID"]);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }

    [Fact]
    public async Task Readiness_ProbeFlips_ReadyConditionAndEndpointsFollow()
    {
        var node = shared.Node;
        var app = E2e.Unique("ready");
        await node.CreateAsync("/api/v1/namespaces/default/services",
            $$$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{app}}}"},"spec":{"selector":{"app":"{{{app}}}"},"ports":[{"port":80,"targetPort":8080}]}}""");
        var pod = new PodBuilder(node, app).Label("app", app)
            .Container("c", "exec sleep 3600", c =>
            {
                c["readinessProbe"] = PodBuilder.ExecProbe("test -f /out/ready");
                c["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 });
            });
        await node.CreatePodAsync(pod);
        try
        {
            var unready = await node.WaitPodAsync(pod, p => E2e.Phase(p) == "Running" && E2e.PodIp(p) is not null, "Running with an IP");
            var ip = E2e.PodIp(unready)!;
            Assert.Equal("False", KubeletNode.ConditionOf(unready, "Ready"));
            Assert.Equal("False", KubeletNode.ConditionOf(unready, "ContainersReady"));
            Assert.False((bool?)E2e.ContainerStatus(unready, "c")!["ready"]);

            File.WriteAllText(Path.Combine(pod.OutDirectory, "ready"), "");
            var ready = await node.WaitPodAsync(pod, p => KubeletNode.ConditionOf(p, "Ready") == "True", "Ready");
            Assert.True((bool?)E2e.ContainerStatus(ready, "c")!["ready"]);
            await node.WaitForAsync($"/api/v1/namespaces/default/endpoints/{app}", e => ReadyAddresses(e).Contains(ip), $"endpoints {app} list {ip} as ready");

            File.Delete(Path.Combine(pod.OutDirectory, "ready"));
            await node.WaitPodAsync(pod, p => KubeletNode.ConditionOf(p, "Ready") == "False", "not Ready again");
            var endpoints = await node.WaitForAsync($"/api/v1/namespaces/default/endpoints/{app}", e => !ReadyAddresses(e).Contains(ip), $"endpoints {app} drop {ip}");
            Assert.Equal(0, E2e.RestartCount(await node.GetAsync(pod.PodPath), "c"));
            Assert.NotNull(endpoints);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }

    private static List<string> ReadyAddresses(JsonObject endpoints) =>
        [.. (endpoints["subsets"]?.AsArray() ?? []).SelectMany(s => s!["addresses"]?.AsArray() ?? []).Select(a => (string)a!["ip"]!)];
}
