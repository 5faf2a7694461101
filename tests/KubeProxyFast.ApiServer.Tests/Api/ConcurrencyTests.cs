using System.Net;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Optimistic concurrency: of two writers with the same resourceVersion exactly one wins.</summary>
public abstract class ConcurrencyTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    [Fact]
    public async Task Update_TwoConcurrentWithSameResourceVersion_ExactlyOneWins()
    {
        for (var round = 0; round < 20; round++)
        {
            var created = await Created(Server, "/api/v1/namespaces/default/pods", Pod("race-" + round));
            var bodies = new[] { "left", "right" }.Select(side =>
            {
                var node = JsonNode.Parse(created.GetRawText())!;
                node["metadata"]!["labels"]!["side"] = side;
                return node.ToJsonString();
            }).ToArray();

            var results = await Task.WhenAll(bodies.Select(b => Server.PutJsonAsync("/api/v1/namespaces/default/pods/race-" + round, b)));

            Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        }
    }

    [Fact]
    public async Task Patch_ManyConcurrentWithoutResourceVersion_AllApplied()
    {
        await Created(Server, "/api/v1/namespaces/default/pods", Pod("counter"));

        var patches = Enumerable.Range(0, 16).Select(i =>
            Server.PatchAsync("/api/v1/namespaces/default/pods/counter", "{\"metadata\":{\"labels\":{\"k" + i + "\":\"v\"}}}", "application/merge-patch+json"));
        var results = await Task.WhenAll(patches);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var labels = (await Read(await Server.Http.GetAsync("/api/v1/namespaces/default/pods/counter"))).GetProperty("metadata").GetProperty("labels");
        Assert.Equal(17, labels.EnumerateObject().Count());
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class ConcurrencyOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : ConcurrencyTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class ConcurrencyOnEtcdTests(EtcdStoreBackend backend) : ConcurrencyTests(backend), IClassFixture<EtcdStoreBackend>;
