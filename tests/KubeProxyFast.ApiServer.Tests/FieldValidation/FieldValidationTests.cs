using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.FieldValidation;

/// <summary>
/// fieldValidation on create, update and patch, through HTTP as kubectl and the client libraries
/// send it: every unknown or duplicate field named with Kubernetes' words, Strict refusing, Warn
/// warning (also when the parameter is absent), Ignore silent, unknown fields never stored.
/// </summary>
public sealed class FieldValidationTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    // Two unknown fields at different depths and one duplicate, so "every one" is checked, not "the first".
    private const string Body = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","name":"p"},
         "spec":{"foo":1,"containers":[{"name":"c","image":"nginx","bar":"x"}]}}
        """;

    // Fields Kubernetes declares that our model lacks (PodSpec.volumes, Container.volumeMounts, …):
    // Kubernetes' own, so kept as written whatever the directive.
    private const string KubernetesOnly = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
         "spec":{"volumes":[{"name":"data","emptyDir":{"sizeLimit":"1Gi"}}],
          "tolerations":[{"key":"gpu","operator":"Exists","effect":"NoSchedule"}],
          "securityContext":{"runAsNonRoot":true,"fsGroup":2000},
          "containers":[{"name":"c","image":"nginx","volumeMounts":[{"name":"data","mountPath":"/data"}],
           "securityContext":{"readOnlyRootFilesystem":true},
           "env":[{"name":"K","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k"}}}]}]}}
        """;

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return _server.Http.SendAsync(new HttpRequestMessage(method, path) { Content = content });
    }

    private static string[] Warnings(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Warning", out var values) ? values.ToArray() : [];

    [Fact]
    public async Task Create_Strict_IsBadRequestNamingEveryUnknownAndDuplicateField()
    {
        var response = await Send(HttpMethod.Post, Pods + "?fieldValidation=Strict", Body);
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", status.GetProperty("reason").GetString());
        Assert.Equal(
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: duplicate field \"metadata.name\", unknown field \"spec.foo\", unknown field \"spec.containers[0].bar\"",
            Message(status));
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync(Pods + "/p")).StatusCode);
    }

    [Theory]
    [InlineData("?fieldValidation=Warn")]
    [InlineData("")]
    public async Task Create_WarnOrAbsent_WarnsPerFieldAndStoresWithoutUnknownFields(string query)
    {
        var response = await Send(HttpMethod.Post, Pods + query, Body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            ["299 - \"duplicate field \\\"metadata.name\\\"\"", "299 - \"unknown field \\\"spec.foo\\\"\"", "299 - \"unknown field \\\"spec.containers[0].bar\\\"\""],
            Warnings(response));
        var stored = await _server.Http.GetStringAsync(Pods + "/p");
        Assert.DoesNotContain("\"foo\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"bar\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Ignore_NoWarningAndUnknownFieldsDropped()
    {
        var response = await Send(HttpMethod.Post, Pods + "?fieldValidation=Ignore", Body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(Warnings(response));
        Assert.DoesNotContain("\"foo\"", await _server.Http.GetStringAsync(Pods + "/p"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DuplicateField_Warn_KeepsTheLastValue()
    {
        var body = Pod("p").Replace("\"image\":\"nginx\"", "\"image\":\"first\",\"image\":\"nginx:2\"", StringComparison.Ordinal);

        var response = await Send(HttpMethod.Post, Pods, body);
        var pod = await Read(response);

        Assert.Equal(["299 - \"duplicate field \\\"spec.containers[0].image\\\"\""], Warnings(response));
        Assert.Equal("nginx:2", pod.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString());
    }

    [Theory]
    [InlineData("POST", "strict", "CreateOptions")]
    [InlineData("PUT", "Yes", "UpdateOptions")]
    [InlineData("PATCH", "warn", "PatchOptions")]
    public async Task Write_UnsupportedFieldValidation_IsInvalidNamingTheValue(string method, string value, string options)
    {
        await Created(_server, Pods, Pod("p"));
        var path = (method == "POST" ? Pods : Pods + "/p") + "?fieldValidation=" + value;

        var response = await Send(new HttpMethod(method), path, method == "PATCH" ? "{}" : Pod("p"),
            method == "PATCH" ? "application/merge-patch+json" : "application/json");
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
            $"{options}.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"{value}\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
            Message(status));
    }

    [Fact]
    public async Task Update_StrictYaml_IsBadRequestNamingTheField()
    {
        await Created(_server, Pods, Pod("p"));
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
              - name: c
                image: nginx
                portz: []
            """;

        var response = await Send(HttpMethod.Put, Pods + "/p?fieldValidation=Strict", yaml, "application/yaml");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("strict decoding error: unknown field \"spec.containers[0].portz\"", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_StrictUnknownFieldInResult_IsInvalidOnPatch()
    {
        await Created(_server, Pods, Pod("p"));

        var response = await Send(HttpMethod.Patch, Pods + "/p?fieldValidation=Strict", """{"spec":{"containers":[{"name":"c","bogus":1}]}}""",
            "application/strategic-merge-patch+json");
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Pod \"p\" is invalid: patch: strict decoding error: unknown field \"spec.containers[0].bogus\"", Message(status));
    }

    [Fact]
    public async Task Patch_StrictDuplicateInJsonPatch_IsInvalidWithJsonPatchPrefix()
    {
        await Created(_server, Pods, Pod("p"));

        var response = await Send(HttpMethod.Patch, Pods + "/p?fieldValidation=Strict",
            """[{"op":"replace","path":"/spec/containers/0/image","value":"a","value":"nginx:3"}]""", "application/json-patch+json");
        var status = await Read(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Pod \"p\" is invalid: patch: strict decoding error: json patch duplicate field \"[0].value\"", Message(status));
    }

    [Fact]
    public async Task Create_StrictKubernetesFieldsTheModelLacks_CreatedAndReadBackUnchanged()
    {
        var response = await Send(HttpMethod.Post, Pods + "?fieldValidation=Strict", KubernetesOnly);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(Warnings(response));
        AssertKubernetesOnlyFieldsKept(await Read(await _server.Http.GetAsync(Pods + "/p")));
    }

    [Fact]
    public async Task Create_StrictKubernetesFieldBesideUnknownOne_RefusesNamingOnlyTheUnknown()
    {
        var body = KubernetesOnly.Replace("\"tolerations\"", "\"foo\":1,\"tolerations\"", StringComparison.Ordinal);

        var response = await Send(HttpMethod.Post, Pods + "?fieldValidation=Strict", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.foo\"", Message(await Read(response)));
    }

    [Theory]
    [InlineData("Warn")]
    [InlineData("Ignore")]
    public async Task Create_WarnOrIgnoreKubernetesFieldBesideUnknownOne_WarnsOnlyForUnknownAndKeepsKubernetesFields(string directive)
    {
        var body = KubernetesOnly.Replace("\"volumeMounts\"", "\"bar\":1,\"volumeMounts\"", StringComparison.Ordinal);

        var response = await Send(HttpMethod.Post, Pods + "?fieldValidation=" + directive, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(directive == "Warn" ? ["299 - \"unknown field \\\"spec.containers[0].bar\\\"\""] : [], Warnings(response));
        var stored = await Read(await _server.Http.GetAsync(Pods + "/p"));
        AssertKubernetesOnlyFieldsKept(stored);
        Assert.False(stored.GetProperty("spec").GetProperty("containers")[0].TryGetProperty("bar", out _));
    }

    [Fact]
    public async Task Patch_StrictAddsKubernetesFieldTheModelLacks_Kept()
    {
        await Created(_server, Pods, Pod("p"));

        var response = await Send(HttpMethod.Patch, Pods + "/p?fieldValidation=Strict",
            """{"spec":{"tolerations":[{"key":"gpu","operator":"Exists"}]}}""", "application/merge-patch+json");
        var pod = await Read(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""[{"key":"gpu","operator":"Exists"}]""", pod.GetProperty("spec").GetProperty("tolerations").GetRawText());
    }

    /// <summary>Every Kubernetes-only field of <see cref="KubernetesOnly"/> is in <paramref name="pod"/> as sent.</summary>
    private static void AssertKubernetesOnlyFieldsKept(JsonElement pod)
    {
        var sent = JsonDocument.Parse(KubernetesOnly).RootElement.GetProperty("spec");
        var spec = pod.GetProperty("spec");
        foreach (var name in new[] { "volumes", "tolerations", "securityContext" })
        {
            Assert.True(JsonElement.DeepEquals(sent.GetProperty(name), spec.GetProperty(name)), name + ": " + spec);
        }

        var container = spec.GetProperty("containers")[0];
        foreach (var name in new[] { "volumeMounts", "securityContext", "env" })
        {
            Assert.True(JsonElement.DeepEquals(sent.GetProperty("containers")[0].GetProperty(name), container.GetProperty(name)), name + ": " + container);
        }
    }
}
