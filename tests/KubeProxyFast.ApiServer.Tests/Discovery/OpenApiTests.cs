using System.Net;
using System.Text.Json;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Discovery;

/// <summary>
/// The OpenAPI documents kubectl reads: the v3 index and its hashed URLs, the per group-version
/// documents with what kubectl looks for in them, and the caching headers of kube-openapi.
/// </summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private const string Protobuf = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> DocumentUrl(string groupVersion)
    {
        var index = await Read(await _server.Http.GetAsync("/openapi/v3"));
        return index.GetProperty("paths").GetProperty(groupVersion).GetProperty("serverRelativeURL").GetString()!;
    }

    private async Task<JsonElement> Document(string groupVersion) => await Read(await _server.Http.GetAsync(await DocumentUrl(groupVersion)));

    private static JsonElement Schema(JsonElement document, string name) => document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    [Fact]
    public async Task V3Index_ListsEveryServedGroupVersionWithItsHash()
    {
        var response = await _server.Http.GetAsync("/openapi/v3");
        var paths = (await Read(response)).GetProperty("paths");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["api/v1", "apis/coordination.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1"], paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Matches("^/openapi/v3/api/v1\\?hash=[0-9A-F]{128}$", paths.GetProperty("api/v1").GetProperty("serverRelativeURL").GetString());
    }

    [Theory]
    [InlineData("/api/v1", "api/v1")]
    [InlineData("/apis/coordination.k8s.io/v1", "apis/coordination.k8s.io/v1")]
    [InlineData("/apis/rbac.authorization.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1")]
    public async Task V3Document_EveryKindDiscoveryLists_HasItsSchema(string discovery, string groupVersion)
    {
        var resources = (await Read(await _server.Http.GetAsync(discovery))).GetProperty("resources").EnumerateArray()
            .Where(r => !r.GetProperty("name").GetString()!.Contains('/', StringComparison.Ordinal))
            .Select(r => r.GetProperty("kind").GetString()!).ToList();
        var document = await Document(groupVersion);

        var described = document.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(s => s.Value.TryGetProperty("x-kubernetes-group-version-kind", out _))
            .Select(s => s.Value.GetProperty("x-kubernetes-group-version-kind")[0].GetProperty("kind").GetString()).ToHashSet();
        Assert.NotEmpty(resources);
        Assert.All(resources, kind => Assert.Contains(kind, described));
    }

    [Fact]
    public async Task V3Document_PatchOfEveryKind_DeclaresFieldValidationAndStrategicMerge()
    {
        var document = await Document("api/v1");

        var patches = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("patch", out _)).Select(p => p.Value.GetProperty("patch")).ToList();
        Assert.Contains(patches, p => p.GetProperty("x-kubernetes-group-version-kind").GetProperty("kind").GetString() == "ReplicationController");
        Assert.All(patches, patch =>
        {
            Assert.Contains(patch.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "fieldValidation" && p.GetProperty("in").GetString() == "query");
            Assert.True(patch.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/strategic-merge-patch+json", out _));
        });
    }

    [Fact]
    public async Task V3Document_PodSchema_CarriesKindRequiredFormatsAndMergeKeys()
    {
        var document = await Document("api/v1");

        var pod = Schema(document, "io.k8s.api.core.v1.Pod");
        var container = Schema(document, "io.k8s.api.core.v1.Container");
        var port = Schema(document, "io.k8s.api.core.v1.ContainerPort");
        var podSpec = Schema(document, "io.k8s.api.core.v1.PodSpec");
        Assert.Equal("Pod", pod.GetProperty("x-kubernetes-group-version-kind")[0].GetProperty("kind").GetString());
        Assert.Contains("containerPort", port.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.False(string.IsNullOrEmpty(port.GetProperty("properties").GetProperty("containerPort").GetProperty("description").GetString()));
        var ports = container.GetProperty("properties").GetProperty("ports");
        Assert.Equal(("merge", "containerPort"), (ports.GetProperty("x-kubernetes-patch-strategy").GetString(), ports.GetProperty("x-kubernetes-patch-merge-key").GetString()));
        Assert.Equal("name", podSpec.GetProperty("properties").GetProperty("containers").GetProperty("x-kubernetes-patch-merge-key").GetString());
        Assert.Equal("int-or-string", Schema(document, "io.k8s.apimachinery.pkg.util.intstr.IntOrString").GetProperty("format").GetString());
        Assert.Equal("date-time", Schema(document, "io.k8s.apimachinery.pkg.apis.meta.v1.Time").GetProperty("format").GetString());
        var labels = Schema(document, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").GetProperty("properties").GetProperty("labels");
        Assert.Equal(("object", "string"), (labels.GetProperty("type").GetString(), labels.GetProperty("additionalProperties").GetProperty("type").GetString()));
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            pod.GetProperty("properties").GetProperty("metadata").GetProperty("allOf")[0].GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task V3Document_WithCurrentHash_IsImmutableAndRevalidatesTo304()
    {
        var response = await _server.Http.GetAsync(await DocumentUrl("apis/coordination.k8s.io/v1"));
        var etag = response.Headers.ETag!;
        var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v3/apis/coordination.k8s.io/v1");
        request.Headers.IfNoneMatch.Add(etag);

        var revalidated = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, immutable", response.Headers.CacheControl!.ToString());
        Assert.NotNull(response.Content.Headers.Expires);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(etag, revalidated.Headers.ETag);
    }

    [Fact]
    public async Task V3Document_WithOldHash_RedirectsToTheCurrentUrl()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Http.BaseAddress };

        var response = await http.GetAsync("/openapi/v3/api/v1?hash=0123");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(await DocumentUrl("api/v1"), response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task V3Document_ProtobufOnly_IsNotAcceptableNamingJson()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v3/api/v1");
        request.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v3@v1.0+protobuf");

        var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Contains("application/json", Message(await Read(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V2Document_AsKubectlAsksForIt_IsGnosticProtobuf()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        request.Headers.TryAddWithoutValidation("Accept", Protobuf);

        var response = await _server.Http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", response.Content.Headers.ContentType!.MediaType);
        // Document.swagger (field 1, length-delimited) = "2.0", then the definitions by name with their GVK extension as YAML.
        Assert.Equal([0x0A, 0x03, (byte)'2', (byte)'.', (byte)'0'], body[..5]);
        Assert.True(body.AsSpan().IndexOf("io.k8s.api.core.v1.Pod"u8) > 0);
        Assert.True(body.AsSpan().IndexOf("x-kubernetes-group-version-kind"u8) > 0);
    }

    [Fact]
    public async Task V2Document_SameSchemasAsV3_WithDefinitionReferences()
    {
        var response = await _server.Http.GetAsync("/openapi/v2");
        var document = await Read(response);

        var container = document.GetProperty("definitions").GetProperty("io.k8s.api.core.v1.Container");
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("#/definitions/io.k8s.api.core.v1.ContainerPort", container.GetProperty("properties").GetProperty("ports").GetProperty("items").GetProperty("$ref").GetString());
        Assert.Equal("string", document.GetProperty("definitions").GetProperty("io.k8s.apimachinery.pkg.util.intstr.IntOrString").GetProperty("type").GetString());
    }

    [Fact]
    public async Task V3Document_UnknownGroupVersion_IsNotFound()
    {
        var response = await _server.Http.GetAsync("/openapi/v3/apis/apps/v1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
