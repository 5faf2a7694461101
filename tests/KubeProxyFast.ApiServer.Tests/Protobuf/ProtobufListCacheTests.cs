using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Protobuf.ProtobufWire;
using Gen = KubeProxyFast.Api.Protobuf;

namespace KubeProxyFast.ApiServer.Tests.Protobuf;

/// <summary>
/// LISTs in protobuf copy each item's cached message: what they send must equal what a GET
/// transcodes afresh, after updates and after a delete and a create with the same name.
/// </summary>
public abstract class ProtobufListCacheTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private static Gen.Core.Pod Pod(string name, string image) => new()
    {
        Metadata = new Gen.Meta.ObjectMeta { Name = name, Labels = { ["app"] = "web" } },
        Spec = new Gen.Core.PodSpec { Containers = { new Gen.Core.Container { Name = "c", Image = image } } },
    };

    private async Task<Gen.Core.Pod> ListedAsync()
    {
        // Twice: the second LIST is answered from the cache the first one filled.
        await SendAsync(Server, HttpMethod.Get, Pods, null);
        var list = await ReadAsync(await SendAsync(Server, HttpMethod.Get, Pods, null), Gen.Core.PodList.Parser, "PodList");
        return Assert.Single(list.Items);
    }

    private async Task<Gen.Core.Pod> GotAsync() =>
        await ReadAsync(await SendAsync(Server, HttpMethod.Get, Pods + "/p", null), Gen.Core.Pod.Parser, "Pod");

    [Fact]
    public async Task List_AfterUpdateAndAfterDeleteAndRecreate_EqualsAFreshTranscode()
    {
        await ReadAsync(await SendAsync(Server, HttpMethod.Post, Pods, Envelope(Pod("p", "nginx:1"), "v1", "Pod")), Gen.Core.Pod.Parser, "Pod");
        var created = await ListedAsync();
        Assert.Equal(await GotAsync(), created);

        var got = await GotAsync();
        got.Spec.Containers[0].Image = "nginx:2";
        await ReadAsync(await SendAsync(Server, HttpMethod.Put, Pods + "/p", Envelope(got, "v1", "Pod")), Gen.Core.Pod.Parser, "Pod");
        var updated = await ListedAsync();
        Assert.Equal("nginx:2", updated.Spec.Containers[0].Image);
        Assert.Equal(await GotAsync(), updated);

        await SendAsync(Server, HttpMethod.Delete, Pods + "/p?gracePeriodSeconds=0", null);
        await ReadAsync(await SendAsync(Server, HttpMethod.Post, Pods, Envelope(Pod("p", "nginx:3"), "v1", "Pod")), Gen.Core.Pod.Parser, "Pod");
        var recreated = await ListedAsync();
        Assert.Equal("nginx:3", recreated.Spec.Containers[0].Image);
        Assert.Equal(await GotAsync(), recreated);
        Assert.NotEqual(created.Metadata.Uid, recreated.Metadata.Uid);
        Assert.NotEqual(updated.Metadata.ResourceVersion, recreated.Metadata.ResourceVersion);
    }
}

/// <summary>The protobuf list cache on the embedded store.</summary>
public sealed class ProtobufListCacheOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : ProtobufListCacheTests(backend), IClassFixture<EmbeddedStoreBackend>;
