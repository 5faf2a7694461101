namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>
/// <c>--dry-run=server</c> on kubectl's write commands: each prints what it would have done,
/// with "(server dry run)", and the live objects do not change.
/// </summary>
public sealed class KubectlDryRunTests(ClassApiServer fixture) : IClassFixture<ClassApiServer>
{
    [Fact]
    public async Task WriteCommands_DryRunServer_PrintResultAndChangeNothing()
    {
        var k = new KubectlSession(fixture.Server, await fixture.NewNamespaceAsync("dry"));
        k.OkWithInput(Manifests.Pod + "\n---\n" + Manifests.Controller, "create", "--validate=false", "-f", "-");
        var before = k.Ok("get", "pod,rc", "-o", "jsonpath={range .items[*]}{.metadata.resourceVersion} {end}");

        var created = k.OkWithInput(Manifests.Service, "create", "--validate=false", "--dry-run=server", "-f", "-");
        var createdIp = k.OkWithInput(Manifests.Service, "create", "--validate=false", "--dry-run=server", "-f", "-", "-o", "jsonpath={.spec.clusterIP}");
        var applied = k.OkWithInput(Manifests.Controller.Replace("php:8", "php:9", StringComparison.Ordinal), "apply", "--validate=false", "--dry-run=server", "-f", "-");
        var labelled = k.Ok("label", "pod", "web-1", "tier=front", "--dry-run=server");
        var annotated = k.Ok("annotate", "pod", "web-1", "note=x", "--dry-run=server");
        var patched = k.Ok("patch", "rc", "frontend", "--type=merge", "-p", """{"spec":{"replicas":7}}""", "--dry-run=server", "-o", "jsonpath={.spec.replicas}");
        var imageSet = k.Ok("set", "image", "rc/frontend", "php=php:9", "--dry-run=server");
        var scaled = k.Ok("scale", "rc", "frontend", "--replicas=9", "--dry-run=server");
        var deleted = k.Ok("delete", "pod", "web-1", "--dry-run=server");
        var deletedAll = k.Ok("delete", "rc", "--all", "--dry-run=server");
        var invalid = k.RunWithInput(Manifests.Service.Replace("port: 80", "port: 70000", StringComparison.Ordinal), "create", "--validate=false", "--dry-run=server", "-f", "-");
        var after = k.Ok("get", "pod,rc", "-o", "jsonpath={range .items[*]}{.metadata.resourceVersion} {end}");
        var services = k.Run("get", "services");

        Assert.Equal("service/web created (server dry run)\n", created);
        Assert.Matches(@"^198\.19\.\d+\.\d+$", createdIp);
        Assert.Equal("replicationcontroller/frontend configured (server dry run)\n", applied);
        Assert.Equal("pod/web-1 labeled (server dry run)\n", labelled);
        Assert.Equal("pod/web-1 annotated (server dry run)\n", annotated);
        Assert.Equal("7", patched);
        Assert.Equal("replicationcontroller/frontend image updated (server dry run)\n", imageSet);
        Assert.Equal("replicationcontroller/frontend scaled (server dry run)\n", scaled);
        Assert.Equal("pod \"web-1\" deleted (server dry run)\n", deleted);
        Assert.Equal("replicationcontroller \"frontend\" deleted (server dry run)\n", deletedAll);
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("spec.ports[0].port: Invalid value: 70000", invalid.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.Equal($"No resources found in {k.Namespace} namespace.\n", services.Stderr);
    }
}
