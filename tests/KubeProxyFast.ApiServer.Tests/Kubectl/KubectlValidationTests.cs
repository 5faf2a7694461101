using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl with its default validation (no <c>--validate=false</c>): it reads the OpenAPI v3
/// documents, sees that the server validates fields, and sends <c>fieldValidation=Strict</c>;
/// <c>explain</c> reads the same documents.
/// </summary>
public sealed class KubectlValidationTests : IAsyncLifetime
{
    private const string UnknownField = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: odd
        spec:
          containers:
          - name: nginx
            image: nginx:1.25
            portz: 80
        """;

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void CreateApplyReplace_DefaultValidation_Succeed()
    {
        var created = Ok(_server.KubectlWithInput(Manifests.Pod, "create", "-f", "-"));
        var applied = Ok(_server.KubectlWithInput(Manifests.Service + "\n---\n" + Manifests.Controller, "apply", "-f", "-"));
        var reapplied = Ok(_server.KubectlWithInput(Manifests.Controller.Replace("php:8", "php:8.3", StringComparison.Ordinal), "apply", "-f", "-"));
        var replaced = Ok(_server.KubectlWithInput(Manifests.Pod.Replace("nginx:1.25", "nginx:1.26", StringComparison.Ordinal), "replace", "-f", "-"));

        Assert.Contains("pod/web-1 created", created, StringComparison.Ordinal);
        Assert.Contains("service/web created", applied, StringComparison.Ordinal);
        Assert.Contains("replicationcontroller/frontend configured", reapplied, StringComparison.Ordinal);
        Assert.Contains("pod/web-1 replaced", replaced, StringComparison.Ordinal);
        Assert.Equal("nginx:1.26", Ok(_server.Kubectl("get", "pod", "web-1", "-o", "jsonpath={.spec.containers[0].image}")));
    }

    [Fact]
    public void Apply_UnknownField_FailsNamingTheField()
    {
        var result = _server.KubectlWithInput(UnknownField, "apply", "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.containers[0].portz\"", result.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, _server.Kubectl("get", "pod", "odd").ExitCode);
    }

    [Fact]
    public void Create_ValidateWarn_PrintsTheWarningAndCreates()
    {
        var result = _server.KubectlWithInput(UnknownField, "create", "--validate=warn", "-f", "-");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Warning: unknown field \"spec.containers[0].portz\"", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("pod/odd created", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_PodContainerPorts_ListsFieldsWithDescriptions()
    {
        var output = Ok(_server.Kubectl("explain", "pod.spec.containers.ports"));

        Assert.Contains("KIND:       Pod", output, StringComparison.Ordinal);
        Assert.Contains("FIELD: ports <[]ContainerPort>", output, StringComparison.Ordinal);
        Assert.Matches(@"containerPort\s+<integer> -required-\n\s+\S", output);
        Assert.Matches(@"protocol\s+<string>\n\s+TCP", output);
    }

    private static string Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"kubectl exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }
}
