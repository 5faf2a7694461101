using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Client.Tests;

/// <summary>CRUD round trips and error mapping of <see cref="KubeClient"/> against a real apiserver.</summary>
public sealed class KubeClientTests : ClientTestBase
{

    [Fact]
    public async Task CreateAsync_Pod_ReturnsStoredObjectThatGetAsyncReads()
    {
        var pod = Objects.Pod("web");
        var created = await Client.CreateAsync(pod);
        var got = await Client.GetAsync<Pod>("default", "web");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(created.Metadata.ResourceVersion, got.Metadata.ResourceVersion);
        Assert.Equal("Pod", got.Kind);
        Assert.Equal("nginx", got.Spec!.Containers![0].Image);
        Assert.Null(pod.Kind); // the caller's object is not changed
    }

    [Fact]
    public async Task UpdateAsync_CurrentVersion_ChangesObjectAndVersion()
    {
        var created = await Client.CreateAsync(Objects.Pod("web"));
        created.Metadata.Labels = new() { ["v"] = "1" };
        var updated = await Client.UpdateAsync(created);

        Assert.Equal("1", updated.Metadata.Labels!["v"]);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task UpdateStatusAsync_Pod_ChangesStatusNotSpec()
    {
        var created = await Client.CreateAsync(Objects.Pod("web"));
        created.Status!.Phase = "Running";
        created.Spec!.Containers![0].Image = "ignored";
        var updated = await Client.UpdateStatusAsync(created);

        Assert.Equal("Running", updated.Status!.Phase);
        Assert.Equal("nginx", updated.Spec!.Containers![0].Image);
    }

    [Fact]
    public async Task PatchAsync_MergePatch_AddsLabel()
    {
        await Client.CreateAsync(Objects.Pod("web"));
        var patched = await Client.PatchAsync<Pod>("default", "web", PatchType.Merge, """{"metadata":{"labels":{"tier":"front"}}}""");

        Assert.Equal("front", patched.Metadata.Labels!["tier"]);
    }

    [Fact]
    public async Task PatchAsync_JsonPatch_ReplacesImage()
    {
        await Client.CreateAsync(Objects.Pod("web"));
        var patched = await Client.PatchAsync<Pod>("default", "web", PatchType.Json,
            """[{"op":"replace","path":"/spec/containers/0/image","value":"httpd"}]""");

        Assert.Equal("httpd", patched.Spec!.Containers![0].Image);
    }

    [Fact]
    public async Task DeleteAsync_UnboundPod_RemovesIt()
    {
        await Client.CreateAsync(Objects.Pod("web"));
        var deleted = await Client.DeleteAsync<Pod>("default", "web", new DeleteOptions { GracePeriodSeconds = 0 });
        var error = await Assert.ThrowsAsync<KubeApiException>(() => Client.GetAsync<Pod>("default", "web"));

        Assert.Equal("web", deleted!.Metadata.Name);
        Assert.True(error.IsNotFound);
    }

    [Fact]
    public async Task BindAsync_UnboundPod_SetsNodeName()
    {
        await Client.CreateAsync(Objects.Pod("web"));
        await Client.BindAsync("default", "web", "node-1");
        var pod = await Client.GetAsync<Pod>("default", "web");
        var again = await Assert.ThrowsAsync<KubeApiException>(() => Client.BindAsync("default", "web", "node-2"));

        Assert.Equal("node-1", pod.Spec!.NodeName);
        Assert.True(again.IsConflict);
    }

    [Fact]
    public async Task CreateAsync_ClusterScopedNode_RoundTrips()
    {
        await Client.CreateAsync(Objects.Node("n1"));
        var node = await Client.GetAsync<Node>(null, "n1");

        Assert.Equal("n1", node.Metadata.Name);
        Assert.Null(node.Metadata.Namespace);
    }

    [Fact]
    public async Task GetAsync_Missing_ThrowsNotFoundWithStatus()
    {
        var error = await Assert.ThrowsAsync<KubeApiException>(() => Client.GetAsync<Pod>("default", "nope"));

        Assert.True(error.IsNotFound);
        Assert.Equal(404, error.Code);
        Assert.Equal("pods \"nope\" not found", error.Status.Message);
    }

    [Fact]
    public async Task CreateAsync_Twice_ThrowsAlreadyExists()
    {
        await Client.CreateAsync(Objects.Pod("web"));
        var error = await Assert.ThrowsAsync<KubeApiException>(() => Client.CreateAsync(Objects.Pod("web")));

        Assert.True(error.IsAlreadyExists);
        Assert.False(error.IsConflict);
        Assert.Equal(409, error.Code);
    }

    [Fact]
    public async Task UpdateAsync_StaleResourceVersion_ThrowsConflict()
    {
        var created = await Client.CreateAsync(Objects.Pod("web"));
        var stale = await Client.GetAsync<Pod>("default", "web");
        created.Metadata.Labels = new() { ["v"] = "1" };
        await Client.UpdateAsync(created);
        stale.Metadata.Labels = new() { ["v"] = "2" };

        var error = await Assert.ThrowsAsync<KubeApiException>(() => Client.UpdateAsync(stale));

        Assert.True(error.IsConflict);
        Assert.Equal(StatusReasons.Conflict, error.Reason);
    }

    [Fact]
    public async Task CreateAsync_InvalidPod_ThrowsInvalidWithCauses()
    {
        var pod = Objects.Pod("web");
        pod.Spec!.Containers = [];

        var error = await Assert.ThrowsAsync<KubeApiException>(() => Client.CreateAsync(pod));

        Assert.True(error.IsInvalid);
        Assert.Equal(422, error.Code);
        Assert.Contains(error.Status.Details!.Causes!, c => c.Field == "spec.containers");
    }

    [Fact]
    public async Task GetAsync_NoServer_ThrowsConnectionExceptionNamingUrl()
    {
        var url = new Uri("http://127.0.0.1:1");
        using var client = new KubeClient(url);

        var error = await Assert.ThrowsAsync<KubeConnectionException>(() => client.GetAsync<Pod>("default", "web"));

        Assert.Contains("http://127.0.0.1:1/api/v1/namespaces/default/pods/web", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromKubeconfig_TestServerConfig_ReachesServer()
    {
        using var client = KubeClient.FromKubeconfig(Server.KubeconfigPath);
        await client.CreateAsync(Objects.Pod("web"));

        Assert.Equal(Server.Url.GetLeftPart(UriPartial.Authority), client.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal("web", (await client.GetAsync<Pod>("default", "web")).Metadata.Name);
    }
}
