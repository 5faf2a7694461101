using System.Text.Json;

namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>
/// The kubectl commands people run every day, against one apiserver for the class (each test in
/// its own namespace), with their printed output checked: output formats, patches of each type,
/// labels and annotations, run/expose/set, scale, delete with selectors and <c>--all</c>.
/// </summary>
public sealed class KubectlEverydayTests(ClassApiServer fixture) : IClassFixture<ClassApiServer>
{
    private static readonly string Pods = Manifests.Pod + "\n---\n" + Manifests.Pod
        .Replace("web-1", "db-1", StringComparison.Ordinal).Replace("app: web", "app: db", StringComparison.Ordinal)
        .Replace("nginx:1.25", "postgres:16", StringComparison.Ordinal);

    private async Task<KubectlSession> SessionAsync(string prefix) => new(fixture.Server, await fixture.NewNamespaceAsync(prefix));

    [Fact]
    public async Task Get_EachOutputFormat_PrintsTheObjects()
    {
        var k = await SessionAsync("get");
        var created = k.OkWithInput(Pods + "\n---\n" + Manifests.Service, "create", "--validate=false", "-f", "-");

        var wide = k.Ok("get", "pods", "-o", "wide", "--sort-by=.metadata.name");
        var columns = k.Ok("get", "pods", "-o", "custom-columns=NAME:.metadata.name,APP:.metadata.labels.app,IMAGE:.spec.containers[0].image", "--sort-by=.metadata.name");
        var image = k.Ok("get", "pod", "db-1", "-o", "jsonpath={.spec.containers[0].image}");
        var names = k.Ok("get", "pods,services", "-o", "name");
        var labels = k.Ok("get", "pods", "--show-labels", "-l", "app=web");
        var yaml = k.Ok("get", "service", "web", "-o", "yaml");
        using var json = JsonDocument.Parse(k.Ok("get", "pods", "-o", "json"));

        Assert.Equal(["pod/web-1 created", "pod/db-1 created", "service/web created"], Lines(created));
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n", wide);
        Assert.Matches(@"\ndb-1\s+0/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>\nweb-1\s", wide);
        Assert.Equal([["NAME", "APP", "IMAGE"], ["db-1", "db", "postgres:16"], ["web-1", "web", "nginx:1.25"]], Cells(columns));
        Assert.Equal("postgres:16", image);
        Assert.Equal(["pod/db-1", "pod/web-1", "service/web"], Lines(names));
        Assert.Matches(@"\nweb-1\s+0/1\s+Pending\s+0\s+\d+s\s+app=web\n$", labels);
        Assert.Contains("kind: Service", yaml, StringComparison.Ordinal);
        Assert.Matches(@"\n  clusterIP: 198\.19\.\d+\.\d+\n", yaml);
        Assert.Matches(@"\n  - nodePort: 3\d{4}\n    port: 80\n    protocol: TCP\n    targetPort: 8080\n", yaml);
        Assert.Equal("List", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(["db-1", "web-1"], json.RootElement.GetProperty("items").EnumerateArray()
            .Select(p => p.GetProperty("metadata").GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task Patch_StrategicMergeAndJson_EachApplied()
    {
        var k = await SessionAsync("patch");
        k.OkWithInput(Manifests.Controller, "create", "--validate=false", "-f", "-");

        var strategic = k.Ok("patch", "rc", "frontend", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"php","env":[{"name":"MODE","value":"prod"}]}]}}}}""");
        var merge = k.Ok("patch", "rc", "frontend", "--type=merge", "-p", """{"metadata":{"labels":{"tier":"front"}},"spec":{"replicas":3}}""");
        var jsonPatch = k.Ok("patch", "rc", "frontend", "--type=json", "-p",
            """[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"php:8.4"},{"op":"test","path":"/spec/replicas","value":3}]""");
        var failedTest = k.Fails("patch", "rc", "frontend", "--type=json", "-p", """[{"op":"test","path":"/spec/replicas","value":9}]""");
        var unchanged = k.Ok("patch", "rc", "frontend", "--type=merge", "-p", """{"spec":{"replicas":3}}""");
        var result = k.Ok("get", "rc", "frontend", "-o",
            "jsonpath={.spec.template.spec.containers[0].name} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[0].value} {.metadata.labels.tier} {.spec.replicas}");

        Assert.Equal("replicationcontroller/frontend patched\n", strategic);
        Assert.Equal("replicationcontroller/frontend patched\n", merge);
        Assert.Equal("replicationcontroller/frontend patched\n", jsonPatch);
        Assert.Contains("replicationcontroller/frontend patched (no change)", unchanged, StringComparison.Ordinal);
        Assert.Contains("(test /spec/replicas): test failed: the value is 3, not 9", failedTest, StringComparison.Ordinal);
        Assert.Equal("php php:8.4 prod front 3", result);
    }

    [Fact]
    public async Task LabelAndAnnotate_SelectorsAllAndOverwrite_ChangeOnlyWhatWasAsked()
    {
        var k = await SessionAsync("label");
        k.OkWithInput(Pods, "create", "--validate=false", "-f", "-");

        var labelled = k.Ok("label", "pods", "--all", "env=test");
        var refused = k.Fails("label", "pod", "web-1", "env=prod");
        var overwritten = k.Ok("label", "pod", "web-1", "env=prod", "--overwrite");
        var annotated = k.Ok("annotate", "pods", "-l", "app=db", "owner=team-b");
        var removed = k.Ok("label", "pod", "db-1", "app-");
        var result = k.Ok("get", "pods", "--sort-by=.metadata.name", "-o",
            "custom-columns=NAME:.metadata.name,ENV:.metadata.labels.env,APP:.metadata.labels.app,OWNER:.metadata.annotations.owner");

        Assert.Equal(["pod/web-1 labeled", "pod/db-1 labeled"], Lines(labelled).Order(StringComparer.Ordinal).Reverse());
        Assert.Contains("'env' already has a value (test), and --overwrite is false", refused, StringComparison.Ordinal);
        Assert.Equal("pod/web-1 labeled\n", overwritten);
        Assert.Equal("pod/db-1 annotated\n", annotated);
        Assert.Equal("pod/db-1 unlabeled\n", removed);
        Assert.Equal([["NAME", "ENV", "APP", "OWNER"], ["db-1", "test", "<none>", "team-b"], ["web-1", "prod", "web", "<none>"]], Cells(result));
    }

    [Fact]
    public async Task RunExposeSet_PodServiceAndController_CreatedAndChanged()
    {
        var k = await SessionAsync("run");
        k.OkWithInput(Manifests.Controller, "create", "--validate=false", "-f", "-");

        var run = k.Ok("run", "web", "--image=nginx:1.25", "--labels=app=web,tier=front", "--port=80", "--env=MODE=test");
        var exposed = k.Ok("expose", "pod", "web", "--port=8080", "--target-port=80", "--name=web-svc");
        var envSet = k.Ok("set", "env", "rc/frontend", "MODE=prod", "LEVEL=3");
        var imageSet = k.Ok("set", "image", "rc/frontend", "php=php:8.4");
        var envList = k.Ok("set", "env", "rc/frontend", "--list");
        var envRemoved = k.Ok("set", "env", "rc/frontend", "LEVEL-");
        var pod = k.Ok("get", "pod", "web", "-o", "jsonpath={.metadata.labels.tier} {.spec.containers[0].image} {.spec.containers[0].ports[0].containerPort} {.spec.containers[0].env[0].value}");
        var service = k.Ok("get", "svc", "web-svc", "-o", "jsonpath={.spec.selector} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.clusterIP}");
        var template = k.Ok("get", "rc", "frontend", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env}");

        Assert.Equal("pod/web created\n", run);
        Assert.Equal("service/web-svc exposed\n", exposed);
        Assert.Equal("replicationcontroller/frontend env updated\n", envSet);
        Assert.Equal("replicationcontroller/frontend image updated\n", imageSet);
        Assert.Equal(["# ReplicationController frontend, container php", "MODE=prod", "LEVEL=3"], Lines(envList));
        Assert.Equal("replicationcontroller/frontend env updated\n", envRemoved);
        Assert.Equal("front nginx:1.25 80 test", pod);
        Assert.Matches("""^\{"app":"web","tier":"front"\} 8080 80 198\.19\.\d+\.\d+$""", service);
        Assert.Equal("""php:8.4 [{"name":"MODE","value":"prod"}]""", template);
    }

    [Fact]
    public async Task Scale_CurrentReplicasPrecondition_ScalesOrRefuses()
    {
        var k = await SessionAsync("scale");
        k.OkWithInput(Manifests.Controller, "create", "--validate=false", "-f", "-");

        var scaled = k.Ok("scale", "rc", "frontend", "--replicas=4");
        var refused = k.Fails("scale", "rc", "frontend", "--current-replicas=3", "--replicas=5");
        var conditional = k.Ok("scale", "rc/frontend", "--current-replicas=4", "--replicas=1");
        var replicas = k.Ok("get", "rc", "frontend", "-o", "jsonpath={.spec.replicas}");

        Assert.Equal("replicationcontroller/frontend scaled\n", scaled);
        Assert.Contains("Expected replicas to be 3, was 4", refused, StringComparison.Ordinal);
        Assert.Equal("replicationcontroller/frontend scaled\n", conditional);
        Assert.Equal("1", replicas);
    }

    [Fact]
    public async Task Delete_SelectorThenAll_DeletesExactlyTheMatching()
    {
        var k = await SessionAsync("delete");
        k.OkWithInput(Pods + "\n---\n" + Manifests.Pod.Replace("web-1", "web-2", StringComparison.Ordinal) + "\n---\n" + Manifests.Service,
            "create", "--validate=false", "-f", "-");

        var bySelector = k.Ok("delete", "pods", "-l", "app=web");
        var left = k.Ok("get", "pods", "-o", "name");
        var all = k.Ok("delete", "pods,services", "--all");
        var none = k.Run("get", "pods,services");
        var missing = k.Fails("delete", "pod", "web-1");
        var ignored = k.Ok("delete", "pod", "web-1", "--ignore-not-found");

        Assert.Equal(["pod \"web-1\" deleted", "pod \"web-2\" deleted"], Lines(bySelector).Order(StringComparer.Ordinal));
        Assert.Equal("pod/db-1\n", left);
        Assert.Equal(["pod \"db-1\" deleted", "service \"web\" deleted"], Lines(all));
        Assert.Equal(0, none.ExitCode);
        Assert.Equal($"No resources found in {k.Namespace} namespace.\n", none.Stderr);
        Assert.Contains("pods \"web-1\" not found", missing, StringComparison.Ordinal);
        Assert.Equal("", ignored);
    }

    [Fact]
    public async Task Replace_ChangedManifest_ReplacesAndKeepsIdentity()
    {
        var k = await SessionAsync("replace");
        k.OkWithInput(Manifests.Controller, "create", "--validate=false", "-f", "-");
        var uid = k.Ok("get", "rc", "frontend", "-o", "jsonpath={.metadata.uid}");
        var live = k.Ok("get", "rc", "frontend", "-o", "yaml");

        var replaced = k.OkWithInput(live.Replace("replicas: 2", "replicas: 6", StringComparison.Ordinal), "replace", "-f", "-", "--validate=false");
        var stale = k.RunWithInput(live, "replace", "-f", "-", "--validate=false");
        var after = k.Ok("get", "rc", "frontend", "-o", "jsonpath={.metadata.uid} {.spec.replicas}");

        Assert.Equal("replicationcontroller/frontend replaced\n", replaced);
        Assert.NotEqual(0, stale.ExitCode);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", stale.Stderr, StringComparison.Ordinal);
        Assert.Equal(uid + " 6", after);
    }

    [Fact]
    public async Task Watch_BoundedByRequestTimeout_PrintsListAndEnds()
    {
        var k = await SessionAsync("watch");
        k.OkWithInput(Manifests.Pod, "create", "--validate=false", "-f", "-");

        var watched = k.Ok("get", "pods", "--watch", "--request-timeout=1s");
        var names = k.Ok("get", "pods", "--watch", "-o", "name", "--request-timeout=1s");

        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb-1\s+0/1\s+Pending\s+0\s+\d+s\n$", watched);
        Assert.Equal("pod/web-1\n", names);
    }

    [Fact]
    public async Task DescribeAndEvents_PodWithEvents_ShowsThemSorted()
    {
        var k = await SessionAsync("describe");
        k.OkWithInput(Manifests.Pod + "\n---\n" + Manifests.Service + "\n---\n" + Manifests.Controller, "create", "--validate=false", "-f", "-");
        var uid = k.Ok("get", "pod", "web-1", "-o", "jsonpath={.metadata.uid}");
        // Ages of ten minutes and more print as whole minutes (kubectl prints "2m5s" below ten).
        var now = DateTimeOffset.UtcNow;
        await PostEventAsync(k.Namespace, "web-1.a", uid, "Scheduled", "assigned to node-a", now.AddMinutes(-30), now.AddMinutes(-30), 1);
        await PostEventAsync(k.Namespace, "web-1.b", uid, "BackOff", "restarting failed container", now.AddMinutes(-20), now.AddMinutes(-15), 3);
        await PostEventAsync(k.Namespace, "other.c", "0000", "Killing", "not this pod", now.AddMinutes(-10), now.AddMinutes(-10), 1, name: "other");

        var pod = k.Ok("describe", "pod", "web-1");
        var service = k.Ok("describe", "svc", "web");
        var controller = k.Ok("describe", "rc", "frontend");
        var sorted = k.Ok("get", "events", "--sort-by=.lastTimestamp", "-o", "custom-columns=REASON:.reason,COUNT:.count");
        var table = k.Ok("get", "events", "--sort-by=.metadata.name");
        var selected = k.Ok("get", "events", "--field-selector", "involvedObject.name=web-1,reason=BackOff", "-o", "name");

        Assert.Matches(@"Name:\s+web-1\nNamespace:\s+" + k.Namespace + @"\n", pod);
        Assert.Matches(@"\nEvents:\n  Type\s+Reason\s+Age\s+From\s+Message\n  ----\s+------\s+----\s+----\s+-------\n", pod);
        Assert.Matches(@"\n  Normal\s+Scheduled\s+30m\s+tester\s+assigned to node-a\n", pod);
        Assert.Matches(@"\n  Warning\s+BackOff\s+15m \(x3 over 20m\)\s+tester\s+restarting failed container\n", pod);
        Assert.DoesNotContain("not this pod", pod, StringComparison.Ordinal);
        Assert.Matches(@"Selector:\s+app=web\nType:\s+NodePort\n", service);
        Assert.Matches(@"Replicas:\s+0 current / 2 desired\n", controller);
        Assert.Equal([["REASON", "COUNT"], ["Scheduled", "1"], ["BackOff", "3"], ["Killing", "1"]], Cells(sorted));
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n10m\s+Normal\s+Killing\s+pod/other\s+not this pod\n30m\s+Normal\s+Scheduled\s+pod/web-1\s+assigned", table);
        Assert.Equal("event/web-1.b\n", selected);
    }

    private async Task PostEventAsync(string ns, string eventName, string uid, string reason, string message, DateTimeOffset first, DateTimeOffset last, int count, string name = "web-1")
    {
        var type = reason == "BackOff" ? "Warning" : "Normal";
        var json = $$"""
            {"metadata":{"name":"{{eventName}}"},"involvedObject":{"kind":"Pod","apiVersion":"v1","namespace":"{{ns}}","name":"{{name}}","uid":"{{uid}}"},
             "reason":"{{reason}}","message":"{{message}}","type":"{{type}}","source":{"component":"tester"},"count":{{count}},
             "firstTimestamp":"{{first.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}","lastTimestamp":"{{last.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}
            """;
        using var response = await fixture.Server.PostJsonAsync($"/api/v1/namespaces/{ns}/events", json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void ApiVersionsAndResources_ServedGroups_Listed()
    {
        var k = new KubectlSession(fixture.Server, "default");

        var versions = Lines(k.Ok("api-versions"));
        var coordination = k.Ok("api-resources", "--api-group=coordination.k8s.io", "-o", "name");
        var core = k.Ok("api-resources", "--api-group=", "--namespaced=false", "-o", "name");
        var wide = k.Ok("api-resources", "-o", "wide");

        Assert.Contains("v1", versions);
        Assert.Contains("coordination.k8s.io/v1", versions);
        Assert.Equal("leases.coordination.k8s.io\n", coordination);
        Assert.Equal(["namespaces", "nodes"], Lines(core).Where(n => n is "namespaces" or "nodes"));
        Assert.Matches(@"\npods\s+po\s+v1\s+true\s+Pod\s+create,delete,\S*get,list,patch,update,watch\s+all\n", wide);
        Assert.Matches(@"\nleases\s+coordination\.k8s\.io/v1\s+true\s+Lease\s+create,delete,\S*get,list,patch,update,watch\s*\n", wide);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[][] Cells(string table) =>
        [.. Lines(table).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
}
