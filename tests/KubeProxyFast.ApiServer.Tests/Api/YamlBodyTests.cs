using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KubeProxyFast.Testing;
using Xunit.Abstractions;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>YAML bodies that would cost far more than their size, or are malformed, get a 400 naming why.</summary>
public sealed class YamlBodyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> PostYaml(string yaml)
    {
        var content = new StringContent(yaml, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        return _server.Http.PostAsync(Pods, content);
    }

    private static async Task<string> BadRequest(HttpResponseMessage response)
    {
        var status = await Read(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {status}");
        Assert.Equal("BadRequest", status.GetProperty("reason").GetString());
        return Message(status);
    }

    [Fact]
    public async Task Create_AliasBomb_IsBadRequestNamingTheLimitAndStoresNothing()
    {
        var bomb = YamlAliasBomb.Manifest("Pod", "bomb");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        var message = await BadRequest(await PostYaml(bomb));

        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"{bomb.Length}-byte alias bomb answered in {clock.Elapsed.TotalMilliseconds:F0} ms; the process allocated {allocated} bytes meanwhile: {message}");
        Assert.StartsWith("the request body is not valid YAML: ", message, StringComparison.Ordinal);
        Assert.Contains("excessive aliasing", message, StringComparison.Ordinal);
        // Expanded, the bomb is gigabytes; the bound is loose because other tests of this
        // process allocate at the same time.
        Assert.InRange(allocated, 0, 256L * 1024 * 1024);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync(Pods + "/bomb")).StatusCode);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: web\n", "malformed YAML at line 4, column 1")]
    [InlineData("metadata: {name: web", "malformed YAML at line 2, column 1")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: web\nspec:\n  containers: []\n", "the flow mapping { opened at line 3, column 11 is not closed")]
    [InlineData("a: &x 1\nmetadata: {<<: *x}\n", "metadata: line 2: the merge key << takes a mapping or a list of mappings")]
    [InlineData("metadata: &m {name: web, <<: *m}\n", "the alias *m is inside the node it names")]
    [InlineData("metadata: *nowhere\n", "unknown anchor \"nowhere\"")]
    public async Task Create_MalformedYaml_IsBadRequestSayingWhere(string yaml, string expected)
    {
        var message = await BadRequest(await PostYaml(yaml));

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DeeplyNestedYaml_IsBadRequestNamingTheDepthLimit()
    {
        var message = await BadRequest(await PostYaml("metadata: " + new string('[', 1_000_000)));

        Assert.Contains("nested deeper than 64 levels (the limit)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_YamlWithAnchors_IsAccepted()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: anchored\n  labels: &l {app: web}\n  annotations: *l\n" +
            "spec:\n  containers:\n  - &c {name: a, image: nginx}\n  - {<<: *c, name: b}\n";

        var response = await PostYaml(yaml);

        var pod = await Read(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, pod.ToString());
        Assert.Equal("web", pod.GetProperty("metadata").GetProperty("annotations").GetProperty("app").GetString());
        Assert.Equal("b", pod.GetProperty("spec").GetProperty("containers")[1].GetProperty("name").GetString());
        Assert.Equal("nginx", pod.GetProperty("spec").GetProperty("containers")[1].GetProperty("image").GetString());
    }
}
