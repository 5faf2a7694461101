using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.ApiServer.Patch;
using static KubeProxyFast.ApiServer.Tests.Patch.PatchJsonAssert;

namespace KubeProxyFast.ApiServer.Tests.Patch;

// The bodies kubectl 1.20 sends, each beside the command that sends it.
public sealed class KubectlPatchTests
{
    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"x","namespace":"default","uid":"9d1c","resourceVersion":"41","labels":{"app":"web"}},
         "spec":{"containers":[{"name":"web","image":"nginx:1.19","env":[{"name":"A","value":"1"}]}],"restartPolicy":"Always"},
         "status":{"phase":"Running"}}
        """;

    private const string ReplicationController = """
        {"apiVersion":"v1","kind":"ReplicationController",
         "metadata":{"name":"web","namespace":"default","uid":"u1","resourceVersion":"12","labels":{"app":"web"},
           "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"v1\",\"kind\":\"ReplicationController\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":2}}\n"}},
         "spec":{"replicas":2,"selector":{"app":"web"},
           "template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"containers":[
               {"name":"web","image":"nginx:1.19","imagePullPolicy":"IfNotPresent",
                "ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":8080,"protocol":"TCP"}],"resources":{}},
               {"name":"log","image":"busybox:1.32","args":["tail","-f","/var/log/web.log"]}],
              "restartPolicy":"Always","dnsPolicy":"ClusterFirst"}}},
         "status":{"replicas":2,"observedGeneration":1}}
        """;

    [Fact]
    public void Apply_KubectlLabel_AddsTheLabel()
    {
        // kubectl label pod x tier=frontend
        var result = Apply(Pod, """{"metadata":{"labels":{"tier":"frontend"}}}""", PatchType.StrategicMerge);

        Equal("""{"app":"web","tier":"frontend"}""", result["metadata"]!["labels"]);
        Assert.True(JsonNode.DeepEquals(StripLabels(Object(Pod)), StripLabels(result)));
    }

    [Fact]
    public void Apply_KubectlUnlabel_RemovesTheLabel()
    {
        // kubectl label pod x app-
        var result = Apply(Pod, """{"metadata":{"labels":{"app":null}}}""", PatchType.StrategicMerge);

        Equal("{}", result["metadata"]!["labels"]);
    }

    [Fact]
    public void Apply_KubectlAnnotate_AddsTheAnnotation()
    {
        // kubectl annotate pod x description='my frontend'
        var result = Apply(Pod, """{"metadata":{"annotations":{"description":"my frontend"}}}""", PatchType.StrategicMerge);

        Equal("""{"description":"my frontend"}""", result["metadata"]!["annotations"]);
    }

    [Fact]
    public void Apply_KubectlScale_SetsReplicasOnTheScale()
    {
        // kubectl scale rc web --replicas=3: a merge patch to .../replicationcontrollers/web/scale.
        const string scale = """
            {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","namespace":"default","resourceVersion":"12"},
             "spec":{"replicas":2},"status":{"replicas":2,"selector":"app=web"}}
            """;

        var result = Apply(scale, """{"spec":{"replicas":3}}""", PatchType.Merge, "Scale");

        Equal("""
            {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","namespace":"default","resourceVersion":"12"},
             "spec":{"replicas":3},"status":{"replicas":2,"selector":"app=web"}}
            """, result);
    }

    [Fact]
    public void Apply_KubectlSetImage_ChangesOneContainerAndKeepsOrder()
    {
        // kubectl set image rc/web web=nginx:1.22
        const string patch = """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"log"}],"containers":[{"image":"nginx:1.22","name":"web"}]}}}}
            """;

        var result = Apply(ReplicationController, patch, PatchType.StrategicMerge, "ReplicationController");

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "log"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("nginx:1.22", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal("IfNotPresent", containers[0]!["imagePullPolicy"]!.GetValue<string>());
        Equal("""["tail","-f","/var/log/web.log"]""", containers[1]!["args"]);
    }

    [Fact]
    public void Apply_KubectlSecondApply_UpdatesImageRemovesPortAndRecordsConfiguration()
    {
        // kubectl apply -f web.yaml after changing the web image to nginx:1.21 and deleting the
        // 8080 port from the file: the three-way patch kubectl computes.
        const string newLastApplied = "{\"apiVersion\":\"v1\",\"kind\":\"ReplicationController\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":2,\"template\":{}}}\n";
        var patch = """
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":NEW_LAST_APPLIED}},
             "spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"log"}],
               "containers":[{"$setElementOrder/ports":[{"containerPort":80}],"image":"nginx:1.21","name":"web",
                 "ports":[{"$patch":"delete","containerPort":8080}]}]}}}}
            """.Replace("NEW_LAST_APPLIED", JsonSerializer.Serialize(newLastApplied), StringComparison.Ordinal);

        var result = Apply(ReplicationController, patch, PatchType.StrategicMerge, "ReplicationController");

        Equal("""
            {"apiVersion":"v1","kind":"ReplicationController",
             "metadata":{"name":"web","namespace":"default","uid":"u1","resourceVersion":"12","labels":{"app":"web"},
               "annotations":{"kubectl.kubernetes.io/last-applied-configuration":NEW_LAST_APPLIED}},
             "spec":{"replicas":2,"selector":{"app":"web"},
               "template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"containers":[
                   {"name":"web","image":"nginx:1.21","imagePullPolicy":"IfNotPresent","ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{}},
                   {"name":"log","image":"busybox:1.32","args":["tail","-f","/var/log/web.log"]}],
                  "restartPolicy":"Always","dnsPolicy":"ClusterFirst"}}},
             "status":{"replicas":2,"observedGeneration":1}}
            """.Replace("NEW_LAST_APPLIED", JsonSerializer.Serialize(newLastApplied), StringComparison.Ordinal), result);
    }

    [Fact]
    public void Apply_KubectlApplyDroppingLabelAndFinalizer_DeletesBoth()
    {
        // kubectl apply after removing a label and a finalizer that the last apply set.
        const string live = """{"metadata":{"name":"x","labels":{"app":"web","old":"1"},"finalizers":["example.com/a","example.com/b"]}}""";
        const string patch = """
            {"metadata":{"$setElementOrder/finalizers":["example.com/b"],"$deleteFromPrimitiveList/finalizers":["example.com/a"],"labels":{"old":null}}}
            """;

        var result = Apply(live, patch, PatchType.StrategicMerge);

        Equal("""{"metadata":{"name":"x","labels":{"app":"web"},"finalizers":["example.com/b"]}}""", result);
    }

    [Fact]
    public void Apply_KubectlEditAddingEnv_AppendsInTheEditedOrder()
    {
        // kubectl edit pod x, adding env B after A in the editor.
        const string patch = """
            {"spec":{"$setElementOrder/containers":[{"name":"web"}],
              "containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"B"}],"env":[{"name":"B","value":"2"}],"name":"web"}]}}
            """;

        var result = Apply(Pod, patch, PatchType.StrategicMerge);

        Equal("""[{"name":"web","image":"nginx:1.19","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]""", result["spec"]!["containers"]);
    }

    private static JsonObject StripLabels(JsonObject obj)
    {
        obj["metadata"]!.AsObject().Remove("labels");
        return obj;
    }
}
