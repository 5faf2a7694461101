using System.Text.Json.Nodes;
using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>A pod's Secret volume and ConfigMap env, read by the real kubelet by name (no informers of them).</summary>
[Collection(SharedNodeGroup.Name)]
public sealed class PodObjectsTests(SharedNode shared)
{
    [Fact]
    public async Task Pod_SecretVolumeAndConfigMapEnv_SeeTheObjectsValues()
    {
        var node = shared.Node;
        var ns = E2e.Unique("objects");
        await node.CreateAsync("/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""");
        await node.CreateAsync($"/api/v1/namespaces/{ns}/secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds"},"stringData":{"password":"s3cret"}}""");
        await node.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"mode":"fast"}}""");
        var pod = new PodBuilder(node, "objects", ns)
            .Spec(spec => spec["volumes"]!.AsArray().Add(new JsonObject { ["name"] = "creds", ["secret"] = new JsonObject { ["secretName"] = "creds" } }))
            .Container("c", E2e.Put + "{ cat /etc/creds/password; echo; echo \"$MODE\"; } | put values; exec sleep 3600", container =>
            {
                container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "creds", ["mountPath"] = "/etc/creds" });
                container["env"] = new JsonArray(new JsonObject
                {
                    ["name"] = "MODE",
                    ["valueFrom"] = new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = "settings", ["key"] = "mode" } },
                });
            });
        await node.CreatePodAsync(pod);
        try
        {
            var values = await node.ReadOutAsync(pod, "values");

            Assert.Equal("s3cret\nfast\n", values);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }
}
