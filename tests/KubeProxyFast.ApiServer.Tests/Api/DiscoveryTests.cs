using System.Net;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Discovery, version, health and metrics: what clients read before anything else.</summary>
public abstract class DiscoveryTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    [Fact]
    public async Task Api_ListsV1WithServerAddress()
    {
        var versions = await Read(await Server.Http.GetAsync("/api"));

        Assert.Equal("APIVersions", versions.GetProperty("kind").GetString());
        Assert.Equal("v1", versions.GetProperty("versions")[0].GetString());
        Assert.Equal(Server.Url.Authority, versions.GetProperty("serverAddressByClientCIDRs")[0].GetProperty("serverAddress").GetString());
    }

    [Fact]
    public async Task ApiV1_ListsResourcesSubresourcesAndShortNames()
    {
        var list = await Read(await Server.Http.GetAsync("/api/v1"));
        var resources = list.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);

        Assert.Equal("APIResourceList", list.GetProperty("kind").GetString());
        Assert.True(resources["pods"].GetProperty("namespaced").GetBoolean());
        Assert.False(resources["nodes"].GetProperty("namespaced").GetBoolean());
        Assert.Equal("svc", resources["services"].GetProperty("shortNames")[0].GetString());
        Assert.Contains("watch", resources["endpoints"].GetProperty("verbs").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("autoscaling", resources["replicationcontrollers/scale"].GetProperty("group").GetString());
        Assert.True(resources.ContainsKey("pods/binding"));
        Assert.True(resources.ContainsKey("nodes/proxy"));
    }

    [Fact]
    public async Task Version_AndHealth_Answer()
    {
        var version = await Read(await Server.Http.GetAsync("/version"));

        Assert.Equal("1", version.GetProperty("major").GetString());
        Assert.Equal("ok", await Server.Http.GetStringAsync("/healthz"));
        Assert.Equal("ok", await Server.Http.GetStringAsync("/readyz"));
        Assert.Equal("APIGroupList", (await Read(await Server.Http.GetAsync("/apis"))).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Version_FollowsKubernetes132_WithOursAsBuildMetadata()
    {
        var response = await Server.Http.GetAsync("/version");
        var version = await Read(response);

        Assert.Equal(
            ["major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"],
            version.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("1", "32"), (version.GetProperty("major").GetString(), version.GetProperty("minor").GetString()));
        Assert.Matches(@"^v1\.32\.0\+kpf\.\d+\.\d+\.\d+$", version.GetProperty("gitVersion").GetString());
        Assert.Matches("^linux/(amd64|arm64)$", version.GetProperty("platform").GetString());
    }

    [Fact]
    public void KubectlVersion_AgainstThisServer_RaisesNoSkewWarning()
    {
        var result = Server.Kubectl("version", "-o", "json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.DoesNotContain("Warning", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"gitVersion\": \"v1.32.0+kpf.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountRequestsByVerbResourceAndCode()
    {
        await Server.Http.GetAsync("/api/v1/namespaces/default/pods/missing");
        await Server.Http.GetAsync("/api/v1/namespaces/default/pods");

        var text = await Server.Http.GetStringAsync("/metrics");

        Assert.Contains("apiserver_request_total{verb=\"GET\",resource=\"pods\",subresource=\"\",code=\"404\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("apiserver_request_total{verb=\"LIST\",resource=\"pods\",subresource=\"\",code=\"200\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("apiserver_request_duration_seconds_count{verb=\"LIST\",resource=\"pods\",subresource=\"\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiV2_DescribesEveryKindWithItsGroupVersionKind()
    {
        var document = await Read(await Server.Http.GetAsync("/openapi/v2"));

        Assert.Equal("2.0", document.GetProperty("swagger").GetString());
        var pod = document.GetProperty("definitions").GetProperty("io.k8s.api.core.v1.Pod");
        Assert.Equal("Pod", pod.GetProperty("x-kubernetes-group-version-kind")[0].GetProperty("kind").GetString());
        Assert.Equal("#/definitions/io.k8s.api.core.v1.PodSpec", pod.GetProperty("properties").GetProperty("spec").GetProperty("$ref").GetString());
        Assert.Equal("string", document.GetProperty("definitions").GetProperty("io.k8s.api.core.v1.PodSpec").GetProperty("properties").GetProperty("nodeName").GetProperty("type").GetString());
        Assert.Equal("patch", document.GetProperty("paths").GetProperty("/api/v1/namespaces/{namespace}/services/{name}").GetProperty("patch").GetProperty("x-kubernetes-action").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/nodes", out _));
    }

    [Fact]
    public async Task SystemNamespaces_ExistAtStart()
    {
        var list = await Read(await Server.Http.GetAsync("/api/v1/namespaces"));

        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], Names(list));
    }

    [Fact]
    public async Task Start_NonLoopbackBind_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            TestApiServer.StartAsync(options: new ApiServerOptions { BindAddress = IPAddress.Parse("198.18.0.1") }));

        Assert.Contains("not a loopback address", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class DiscoveryOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : DiscoveryTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class DiscoveryOnEtcdTests(EtcdStoreBackend backend) : DiscoveryTests(backend), IClassFixture<EtcdStoreBackend>;
