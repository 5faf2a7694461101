using System.Text.Json.Nodes;
using static KubeProxyFast.ApiServer.Tests.Patch.PatchJsonAssert;

namespace KubeProxyFast.ApiServer.Tests.Patch;

/// <summary>
/// The PATCH requests the kubectl on PATH sends for everyday commands, captured from it by
/// Patch/Kubectl/capture.sh (commands.txt lists each command and the live object it saw),
/// applied to those same live objects.
/// </summary>
public sealed class KubectlPatchTests
{
    private static readonly string Pod = KubectlCapture.Live("pod.json");
    private static readonly string ReplicationController = KubectlCapture.Live("rc.json");

    [Fact]
    public void Apply_KubectlLabel_AddsTheLabel()
    {
        var result = Apply(Pod, "label");

        Equal("""{"app":"web","tier":"frontend"}""", result["metadata"]!["labels"]);
        Assert.True(JsonNode.DeepEquals(StripLabels(Object(Pod)), StripLabels(result)));
    }

    [Fact]
    public void Apply_KubectlUnlabel_RemovesTheLabel()
    {
        var result = Apply(Pod, "unlabel");

        Equal("{}", result["metadata"]!["labels"]);
    }

    [Fact]
    public void Apply_KubectlAnnotate_AddsTheAnnotation()
    {
        var result = Apply(Pod, "annotate");

        Equal("""{"description":"my frontend"}""", result["metadata"]!["annotations"]);
    }

    [Fact]
    public void Apply_KubectlScale_SetsReplicasOnTheScale()
    {
        // The scale subresource, as the apiserver shows it for the controller in rc.json.
        const string scale = """
            {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","namespace":"default","resourceVersion":"12"},
             "spec":{"replicas":2},"status":{"replicas":2,"selector":"app=web"}}
            """;
        var capture = KubectlCapture.Read("scale");

        var result = PatchJsonAssert.Apply(scale, capture.Body, capture.Type, "Scale");

        Assert.Equal("/api/v1/namespaces/default/replicationcontrollers/web/scale", capture.Path);
        Equal("""
            {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","namespace":"default","resourceVersion":"12"},
             "spec":{"replicas":3},"status":{"replicas":2,"selector":"app=web"}}
            """, result);
    }

    [Fact]
    public void Apply_KubectlSetImage_ChangesOneContainerAndKeepsOrder()
    {
        var result = Apply(ReplicationController, "set-image", "ReplicationController");

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "log"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("nginx:1.22", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal("IfNotPresent", containers[0]!["imagePullPolicy"]!.GetValue<string>());
        Equal("""["tail","-f","/var/log/web.log"]""", containers[1]!["args"]);
    }

    [Fact]
    public void Apply_KubectlSecondApply_UpdatesImageRemovesPortAndRecordsConfiguration()
    {
        // web-v2.json changes the web image to nginx:1.21 and drops the 8080 port of web-v1.json,
        // which the live controller's annotation records as last applied.
        var result = Apply(ReplicationController, "apply-second", "ReplicationController");

        var expected = Object(ReplicationController);
        var container = expected["spec"]!["template"]!["spec"]!["containers"]![0]!;
        container["image"] = "nginx:1.21";
        container["ports"]!.AsArray().RemoveAt(1);
        expected["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"] = LastApplied(KubectlCapture.Read("apply-second"));
        Equal(expected.ToJsonString(), result);
    }

    [Fact]
    public void Apply_KubectlApplyDroppingLabelAndFinalizer_DeletesBoth()
    {
        // finalizers-v2.json drops the label "old" and the finalizer example.com/a of finalizers-v1.json.
        var live = KubectlCapture.Live("pod-finalizers.json");

        var result = Apply(live, "apply-drop-label-finalizer");

        Equal("""{"app":"web"}""", result["metadata"]!["labels"]);
        Equal("""["example.com/b"]""", result["metadata"]!["finalizers"]);
        Assert.Equal(LastApplied(KubectlCapture.Read("apply-drop-label-finalizer")),
            result["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_KubectlEditAddingEnv_AppendsInTheEditedOrder()
    {
        // add-env-b.py, as the editor, adds env B after A.
        var result = Apply(Pod, "edit-add-env");

        Equal("""[{"name":"web","image":"nginx:1.19","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]""", result["spec"]!["containers"]);
    }

    /// <summary>Applies the patch captured for <paramref name="command"/>, checking it went to the object itself.</summary>
    private static JsonObject Apply(string live, string command, string kind = "Pod")
    {
        var capture = KubectlCapture.Read(command);
        var metadata = Object(live)["metadata"]!;
        var plural = kind == "Pod" ? "pods" : "replicationcontrollers";
        Assert.Equal($"/api/v1/namespaces/{metadata["namespace"]}/{plural}/{metadata["name"]}", capture.Path);
        return PatchJsonAssert.Apply(live, capture.Body, capture.Type, kind);
    }

    /// <summary>The last-applied-configuration annotation a captured apply sets.</summary>
    private static string LastApplied(KubectlCapture capture) =>
        Object(capture.Body)["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>();

    private static JsonObject StripLabels(JsonObject obj)
    {
        obj["metadata"]!.AsObject().Remove("labels");
        return obj;
    }
}
