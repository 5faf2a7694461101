using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Core;

/// <summary>v1 Secrets over HTTP: stringData merged and never returned, the default type, types' rules, immutability, the size limit, selectors and the table.</summary>
public abstract class SecretApiTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Secrets = "/api/v1/namespaces/default/secrets";

    internal static string Secret(string name, string? type = null, JsonObject? data = null, JsonObject? stringData = null, bool? immutable = null)
    {
        var secret = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = name } };
        if (type is not null)
        {
            secret["type"] = type;
        }

        if (data is not null)
        {
            secret["data"] = data;
        }

        if (stringData is not null)
        {
            secret["stringData"] = stringData;
        }

        if (immutable is not null)
        {
            secret["immutable"] = immutable;
        }

        return secret.ToJsonString();
    }

    internal static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Data(JsonElement secret, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(secret.GetProperty("data").GetProperty(key).GetString()!));

    [Fact]
    public async Task Create_StringData_MergedIntoDataWinsAndIsNeverReturned()
    {
        var created = await Created(Server, Secrets, Secret("s1", data: new() { ["a"] = B64("from-data"), ["b"] = B64("kept") }, stringData: new() { ["a"] = "from-stringData", ["c"] = "new" }));
        var got = await Read(await Server.Http.GetAsync(Secrets + "/s1"));
        var list = await Read(await Server.Http.GetAsync(Secrets));

        foreach (var secret in new[] { created, got, list.GetProperty("items")[0] })
        {
            Assert.Equal("from-stringData", Data(secret, "a"));
            Assert.Equal("kept", Data(secret, "b"));
            Assert.Equal("new", Data(secret, "c"));
            Assert.False(secret.TryGetProperty("stringData", out _));
            Assert.Equal("Opaque", secret.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Patch_StringData_UpdatesDataOfTheStoredSecret()
    {
        await Created(Server, Secrets, Secret("s1", data: new() { ["a"] = B64("1") }));

        var patched = await Server.PatchAsync(Secrets + "/s1", "{\"stringData\":{\"a\":\"2\"}}", "application/merge-patch+json");
        var got = await Read(await Server.Http.GetAsync(Secrets + "/s1"));

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("2", Data(got, "a"));
        Assert.False(got.TryGetProperty("stringData", out _));
    }

    [Fact]
    public async Task Create_TlsWithoutKey_IsInvalidWithKubernetesMessage()
    {
        var response = await Server.PostJsonAsync(Secrets, Secret("t", "kubernetes.io/tls", data: new() { ["tls.crt"] = B64("cert") }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Secret \"t\" is invalid: data[tls.key]: Required value", Message(await Read(response)));
    }

    [Fact]
    public async Task Create_DockerConfigJsonThroughStringData_IsCheckedAsJson()
    {
        var bad = await Server.PostJsonAsync(Secrets, Secret("d", "kubernetes.io/dockerconfigjson", stringData: new() { [".dockerconfigjson"] = "{\"auths\":" }));
        var good = await Server.PostJsonAsync(Secrets, Secret("d", "kubernetes.io/dockerconfigjson", stringData: new() { [".dockerconfigjson"] = "{\"auths\":{}}" }));

        Assert.Equal("Secret \"d\" is invalid: data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": unexpected end of JSON input",
            Message(await Read(bad)));
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
    }

    [Fact]
    public async Task Create_OverOneMiBOfData_IsInvalid()
    {
        var big = Convert.ToBase64String(new byte[1024 * 1024]);

        var response = await Server.PostJsonAsync(Secrets, Secret("big", data: new() { ["a"] = big, ["b"] = B64("x") }));
        var atLimit = await Server.PostJsonAsync(Secrets, Secret("max", data: new() { ["a"] = big }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Secret \"big\" is invalid: data: Too long: may not be more than 1048576 bytes", Message(await Read(response)));
        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
    }

    [Fact]
    public async Task Update_ChangingType_IsImmutable()
    {
        var created = await Created(Server, Secrets, Secret("s1", "kubernetes.io/basic-auth", stringData: new() { ["username"] = "u" }));

        var response = await Server.PutJsonAsync(Secrets + "/s1", Secret("s1", "Opaque", data: new() { ["username"] = B64("u") }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Secret \"s1\" is invalid: type: Invalid value: \"Opaque\": field is immutable", Message(await Read(response)));
        Assert.Equal("kubernetes.io/basic-auth", (await Read(await Server.Http.GetAsync(Secrets + "/s1"))).GetProperty("type").GetString());
        Assert.NotNull(RV(created));
    }

    [Fact]
    public async Task Update_ImmutableSecret_DataAndImmutableAreForbiddenButMetadataChanges()
    {
        await Created(Server, Secrets, Secret("s1", data: new() { ["a"] = B64("1") }, immutable: true));

        var viaStringData = await Server.PatchAsync(Secrets + "/s1", "{\"stringData\":{\"a\":\"2\"}}", "application/merge-patch+json");
        var unset = await Server.PatchAsync(Secrets + "/s1", "{\"immutable\":false}", "application/merge-patch+json");
        var labelled = await Server.PatchAsync(Secrets + "/s1", "{\"metadata\":{\"labels\":{\"tier\":\"db\"}}}", "application/merge-patch+json");
        var deleted = await Server.Http.DeleteAsync(Secrets + "/s1");

        Assert.Equal("Secret \"s1\" is invalid: data: Forbidden: field is immutable when `immutable` is set", Message(await Read(viaStringData)));
        Assert.Equal("Secret \"s1\" is invalid: immutable: Forbidden: field is immutable when `immutable` is set", Message(await Read(unset)));
        Assert.Equal(HttpStatusCode.OK, labelled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    [Fact]
    public async Task List_FieldSelectorOnType_SelectsSecrets()
    {
        await Created(Server, Secrets, Secret("plain", data: new() { ["a"] = B64("1") }));
        await Created(Server, Secrets, Secret("auth", "kubernetes.io/basic-auth", stringData: new() { ["password"] = "p" }));

        var list = await Read(await Server.Http.GetAsync(Secrets + "?fieldSelector=type%3Dkubernetes.io%2Fbasic-auth"));

        Assert.Equal(["auth"], Names(list));
    }

    [Fact]
    public async Task Get_AsTable_NameTypeDataAge()
    {
        await Created(Server, Secrets, Secret("s1", stringData: new() { ["a"] = "1", ["b"] = "2" }));
        using var request = new HttpRequestMessage(HttpMethod.Get, Secrets);
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));

        var table = await Read(await Server.Http.SendAsync(request));

        Assert.Equal(["Name", "Type", "Data", "Age"], table.GetProperty("columnDefinitions").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var cells = table.GetProperty("rows")[0].GetProperty("cells");
        Assert.Equal("s1", cells[0].GetString());
        Assert.Equal("Opaque", cells[1].GetString());
        Assert.Equal(2, cells[2].GetInt32());
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class SecretApiOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : SecretApiTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class SecretApiOnEtcdTests(EtcdStoreBackend backend) : SecretApiTests(backend), IClassFixture<EtcdStoreBackend>;
