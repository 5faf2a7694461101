namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl's typed commands, which send protobuf bodies (create namespace|configmap|secret|service),
/// and server-side field validation as kubectl 1.32 asks for it by default (<c>fieldValidation=Strict</c>).
/// </summary>
public sealed class KubectlTypedCommandsTests(ClassApiServer fixture) : IClassFixture<ClassApiServer>
{
    [Fact]
    public async Task Create_TypedCommands_CreateWhatTheyName()
    {
        var k = new KubectlSession(fixture.Server, await fixture.NewNamespaceAsync("typed"));

        var ns = k.Ok("create", "namespace", k.Namespace + "-made");
        var configMap = k.Ok("create", "configmap", "settings", "--from-literal=mode=fast", "--from-literal=level=3");
        var generic = k.Ok("create", "secret", "generic", "creds", "--from-literal=password=s3cret");
        var registry = k.Ok("create", "secret", "docker-registry", "pull", "--docker-server=registry.example", "--docker-username=u", "--docker-password=p");
        var clusterIp = k.Ok("create", "service", "clusterip", "api", "--tcp=80:8080");
        var nodePort = k.Ok("create", "service", "nodeport", "edge", "--tcp=443:8443");
        var data = k.Ok("get", "configmap", "settings", "-o", "jsonpath={.data.level} {.data.mode}");
        var secrets = k.Ok("get", "secrets", "-o", "custom-columns=NAME:.metadata.name,TYPE:.type,PASSWORD:.data.password", "--sort-by=.metadata.name");
        var services = k.Ok("get", "services", "-o", "custom-columns=NAME:.metadata.name,TYPE:.spec.type,PORT:.spec.ports[0].name,TARGET:.spec.ports[0].targetPort", "--sort-by=.metadata.name");
        var namespaces = k.Ok("get", "namespace", k.Namespace + "-made", "-o", "jsonpath={.status.phase}");

        Assert.Equal($"namespace/{k.Namespace}-made created\n", ns);
        Assert.Equal("configmap/settings created\n", configMap);
        Assert.Equal("secret/creds created\n", generic);
        Assert.Equal("secret/pull created\n", registry);
        Assert.Equal("service/api created\n", clusterIp);
        Assert.Equal("service/edge created\n", nodePort);
        Assert.Equal("3 fast", data);
        Assert.Matches(@"^NAME\s+TYPE\s+PASSWORD\ncreds\s+Opaque\s+czNjcmV0\npull\s+kubernetes\.io/dockerconfigjson\s+<none>\n$", secrets);
        Assert.Matches(@"^NAME\s+TYPE\s+PORT\s+TARGET\napi\s+ClusterIP\s+80-8080\s+8080\nedge\s+NodePort\s+443-8443\s+8443\n$", services);
        Assert.Equal("Active", namespaces);
    }

    [Fact]
    public async Task Create_UnknownField_StrictByDefaultWarnOnRequest()
    {
        var k = new KubectlSession(fixture.Server, await fixture.NewNamespaceAsync("strict"));
        var manifest = Manifests.Pod.Replace("  containers:", "  foo: 1\n  containers:", StringComparison.Ordinal);

        var strict = k.RunWithInput(manifest, "create", "-f", "-");
        var warned = k.RunWithInput(manifest, "create", "--validate=warn", "-f", "-");

        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.foo\"", strict.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, warned.ExitCode);
        Assert.Equal("pod/web-1 created\n", warned.Stdout);
        Assert.Contains("unknown field \"spec.foo\"", warned.Stderr, StringComparison.Ordinal);
    }
}
