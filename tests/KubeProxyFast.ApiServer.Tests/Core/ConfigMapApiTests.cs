using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Core;

/// <summary>v1 ConfigMaps over HTTP: text and binary data, validation, immutability, the size limit and the table.</summary>
public abstract class ConfigMapApiTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    private static string ConfigMap(string name, JsonObject? data = null, JsonObject? binaryData = null, bool? immutable = null)
    {
        var map = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name } };
        if (immutable is not null)
        {
            map["immutable"] = immutable;
        }

        if (data is not null)
        {
            map["data"] = data;
        }

        if (binaryData is not null)
        {
            map["binaryData"] = binaryData;
        }

        return map.ToJsonString();
    }

    [Fact]
    public async Task CreateGetList_DataAndBinaryData_RoundTrip()
    {
        await Created(Server, ConfigMaps, ConfigMap("c1", new() { ["app.properties"] = "a=1\nb=2\n" }, new() { ["logo.png"] = "iVBORw0KGgo=" }));

        var got = await Read(await Server.Http.GetAsync(ConfigMaps + "/c1"));
        var list = await Read(await Server.Http.GetAsync("/api/v1/configmaps"));

        Assert.Equal("a=1\nb=2\n", got.GetProperty("data").GetProperty("app.properties").GetString());
        Assert.Equal("iVBORw0KGgo=", got.GetProperty("binaryData").GetProperty("logo.png").GetString());
        Assert.Equal("ConfigMapList", list.GetProperty("kind").GetString());
        Assert.Contains("c1", Names(list));
    }

    [Fact]
    public async Task Create_BadKeyAndDuplicateKey_IsInvalidWithKubernetesMessages()
    {
        var response = await Server.PostJsonAsync(ConfigMaps, ConfigMap("c1", new() { ["a b"] = "1", ["k"] = "2" }, new() { ["k"] = "AA==" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
            "ConfigMap \"c1\" is invalid: [data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' " +
            "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+'), data[k]: Invalid value: \"k\": duplicate of key present in binaryData]",
            Message(await Read(response)));
    }

    [Fact]
    public async Task Create_OverOneMiB_IsInvalidOnTheWholeObject()
    {
        var response = await Server.PostJsonAsync(ConfigMaps, ConfigMap("big", new() { ["a"] = new string('x', 1024 * 1024 + 1) }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("ConfigMap \"big\" is invalid: []: Too long: may not be more than 1048576 bytes", Message(await Read(response)));
    }

    [Fact]
    public async Task Update_Immutable_DataForbiddenMetadataAllowed()
    {
        await Created(Server, ConfigMaps, ConfigMap("c1", new() { ["a"] = "1" }, immutable: true));

        var data = await Server.PatchAsync(ConfigMaps + "/c1", "{\"data\":{\"a\":\"2\"}}", "application/merge-patch+json");
        var binary = await Server.PatchAsync(ConfigMaps + "/c1", "{\"binaryData\":{\"b\":\"AA==\"}}", "application/merge-patch+json");
        var labels = await Server.PatchAsync(ConfigMaps + "/c1", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", "application/merge-patch+json");

        Assert.Equal("ConfigMap \"c1\" is invalid: data: Forbidden: field is immutable when `immutable` is set", Message(await Read(data)));
        Assert.Equal("ConfigMap \"c1\" is invalid: binaryData: Forbidden: field is immutable when `immutable` is set", Message(await Read(binary)));
        Assert.Equal(HttpStatusCode.OK, labels.StatusCode);
        Assert.Equal("1", (await Read(await Server.Http.GetAsync(ConfigMaps + "/c1"))).GetProperty("data").GetProperty("a").GetString());
    }

    [Fact]
    public async Task Get_AsTable_NameDataAge_CountsBothMaps()
    {
        await Created(Server, ConfigMaps, ConfigMap("c1", new() { ["a"] = "1", ["b"] = "2" }, new() { ["c"] = "AA==" }));
        using var request = new HttpRequestMessage(HttpMethod.Get, ConfigMaps + "/c1");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));

        var table = await Read(await Server.Http.SendAsync(request));

        Assert.Equal(["Name", "Data", "Age"], table.GetProperty("columnDefinitions").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(3, table.GetProperty("rows")[0].GetProperty("cells")[1].GetInt32());
    }

    [Fact]
    public async Task Discovery_ListsConfigMapsWithShortNameCm()
    {
        var resources = await Read(await Server.Http.GetAsync("/api/v1"));

        var configMaps = resources.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "configmaps");
        var secrets = resources.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "secrets");
        Assert.Equal(["cm"], configMaps.GetProperty("shortNames").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("ConfigMap", configMaps.GetProperty("kind").GetString());
        Assert.Equal("Secret", secrets.GetProperty("kind").GetString());
        Assert.True(secrets.GetProperty("namespaced").GetBoolean());
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class ConfigMapApiOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : ConfigMapApiTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class ConfigMapApiOnEtcdTests(EtcdStoreBackend backend) : ConfigMapApiTests(backend), IClassFixture<EtcdStoreBackend>;
