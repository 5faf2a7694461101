namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>
/// What kubectl needs the server's OpenAPI and version for, with kubectl's defaults (no
/// <c>--validate=false</c>): create/apply/replace validated, <c>explain</c>, <c>edit</c> through
/// <c>KUBE_EDITOR</c>, and no version-skew warning.
/// </summary>
public sealed class KubectlOpenApiTests(ClassApiServer fixture) : IClassFixture<ClassApiServer>
{
    [Fact]
    public void Version_Server_IsKubernetes132WithoutSkewWarning()
    {
        var result = fixture.Server.Kubectl("version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"\nServer Version: v1\.32\.0\+kpf\.\S+\n", result.Stdout);
        Assert.DoesNotContain("WARNING", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateApplyReplace_DefaultValidation_Succeed()
    {
        var k = new KubectlSession(fixture.Server, await fixture.NewNamespaceAsync("validate"));

        var created = k.OkWithInput(Manifests.Pod + "\n---\n" + Manifests.Service, "create", "-f", "-");
        var applied = k.OkWithInput(Manifests.Controller, "apply", "-f", "-");
        var reapplied = k.OkWithInput(Manifests.Controller.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal), "apply", "-f", "-");
        var replaced = k.OkWithInput(Manifests.Service.Replace("targetPort: 8080", "targetPort: 9090", StringComparison.Ordinal), "replace", "-f", "-");
        var result = k.Ok("get", "rc/frontend", "svc/web", "-o", "jsonpath={range .items[*]}{.spec.replicas}{.spec.ports[0].targetPort} {end}");

        Assert.Equal("pod/web-1 created\nservice/web created\n", created);
        Assert.Equal("replicationcontroller/frontend created\n", applied);
        Assert.Equal("replicationcontroller/frontend configured\n", reapplied);
        Assert.Equal("service/web replaced\n", replaced);
        Assert.Equal("3 9090 ", result);
    }

    [Fact]
    public void Explain_FieldsOfEachGroup_Described()
    {
        var k = new KubectlSession(fixture.Server, "default");

        var ports = k.Ok("explain", "pod.spec.containers.ports");
        var serviceType = k.Ok("explain", "svc.spec.type");
        var lease = k.Ok("explain", "leases.spec");
        var recursive = k.Ok("explain", "rc.spec", "--recursive");

        Assert.Matches(@"^KIND:\s+Pod\nVERSION:\s+v1\n", ports);
        Assert.Contains("FIELD: ports <[]ContainerPort>", ports, StringComparison.Ordinal);
        Assert.Matches(@"\n  containerPort\s+<integer> -required-\n", ports);
        Assert.Matches(@"\n  protocol\s+<string>\n", ports);
        Assert.Contains("FIELD: type <string>", serviceType, StringComparison.Ordinal);
        Assert.Matches(@"^GROUP:\s+coordination\.k8s\.io\nKIND:\s+Lease\nVERSION:\s+v1\n", lease);
        Assert.Matches(@"\n  holderIdentity\s+<string>\n", lease);
        Assert.Matches(@"\n  template\s+<PodTemplateSpec>\n", recursive);
        Assert.Matches(@"\n      containers\s+<\[\]Container>", recursive);
    }

    [Fact]
    public async Task Edit_KubeEditorScript_SavesTheEditOrReportsTheInvalidOne()
    {
        var k = new KubectlSession(fixture.Server, await fixture.NewNamespaceAsync("edit"));
        k.OkWithInput(Manifests.Controller, "create", "-f", "-");
        var editor = Path.Combine(fixture.Server.Directory, "edit-" + k.Namespace + ".sh");
        File.WriteAllText(editor, """
            # kubectl edit's editor (run as "sh <this file>", kubectl appends the file): change the image and the replicas in the file kubectl opened ($1).
            sed -i -e 's/image: php:8$/image: php:8.5/' -e "s/^  replicas: [0-9]*$/  replicas: $REPLICAS/" "$1"
            """.Replace("\r", "", StringComparison.Ordinal));

        var edited = k.RunWithEnvironment(new Dictionary<string, string> { ["KUBE_EDITOR"] = "sh " + editor, ["REPLICAS"] = "4" }, "edit", "rc", "frontend");
        var result = k.Ok("get", "rc", "frontend", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.spec.replicas}");
        var invalid = k.RunWithEnvironment(new Dictionary<string, string> { ["KUBE_EDITOR"] = "sh " + editor, ["REPLICAS"] = "-1" }, "edit", "rc", "frontend");
        var kept = k.Ok("get", "rc", "frontend", "-o", "jsonpath={.spec.replicas}");

        Assert.True(edited.ExitCode == 0, edited.Stderr);
        Assert.Equal("replicationcontroller/frontend edited\n", edited.Stdout);
        Assert.Equal("php:8.5 4", result);
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("replicationcontrollers \"frontend\" is invalid", invalid.Stderr, StringComparison.Ordinal);
        Assert.Contains("Edit cancelled, no valid changes were saved.", invalid.Stderr, StringComparison.Ordinal);
        Assert.Equal("4", kept);
    }
}
