using System.Net;
using System.Security.Cryptography;
using System.Text;
using KubeProxyFast.ApiServer.Registry.Encryption;
using KubeProxyFast.ApiServer.Tests.Core;
using KubeProxyFast.Storage;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;
using static KubeProxyFast.ApiServer.Tests.Registry.Encryption.EncryptionConfigurationFileTests;

namespace KubeProxyFast.ApiServer.Tests.Registry.Encryption;

/// <summary>
/// Secrets encrypted at rest through the apiserver, on each store: what the store holds, rotation
/// between servers sharing it, values no key reads, a restart, and values in kube-apiserver's format.
/// </summary>
public abstract class EncryptedSecretsTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Secrets = "/api/v1/namespaces/default/secrets";
    private const string Password = "correct-horse-battery-staple";

    private static readonly string Key1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    protected override ApiServerOptions? Options => With(AesGcm(("key1", Key1)) + "      - identity: {}\n");

    private static ApiServerOptions With(string providers) => new()
    {
        ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange,
        Encryption = EncryptionConfigurationFile.Parse(Config(providers)),
    };

    private async Task<string> RawAsync(string key) => Encoding.UTF8.GetString((await Server.Store.GetAsync(key))!.Value.Span);

    private static string Password64 => SecretApiTests.B64(Password);

    [Fact]
    public async Task Create_Secret_StoreHoldsPrefixedCiphertextOnly()
    {
        await Created(Server, Secrets, SecretApiTests.Secret("s1", stringData: new() { ["password"] = Password }));

        var raw = (await Server.Store.GetAsync("/registry/secrets/default/s1"))!.Value.ToArray();
        var got = await Read(await Server.Http.GetAsync(Secrets + "/s1"));

        Assert.StartsWith("k8s:enc:aesgcm:v1:key1:", Encoding.Latin1.GetString(raw), StringComparison.Ordinal);
        foreach (var plain in new[] { Password, Password64, "\"s1\"", "password" })
        {
            Assert.Equal(-1, raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(plain)));
        }

        Assert.Equal(Password64, got.GetProperty("data").GetProperty("password").GetString());
    }

    [Fact]
    public async Task Create_ConfigMap_NotConfigured_IsStoredAsJson()
    {
        await Created(Server, "/api/v1/namespaces/default/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"k\":\"visible\"}}");

        Assert.Contains("\"visible\"", await RawAsync("/registry/configmaps/default/c"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAndWatch_EncryptedSecrets_ArePlainToClients()
    {
        await Created(Server, Secrets, SecretApiTests.Secret("s1", stringData: new() { ["password"] = Password }));
        var list = await Read(await Server.Http.GetAsync(Secrets));
        using var watch = await Api.WatchReader.OpenAsync(Server.Http, Secrets + "?watch=true&resourceVersion=" + list.GetProperty("metadata").GetProperty("resourceVersion").GetString());

        await Created(Server, Secrets, SecretApiTests.Secret("s2", stringData: new() { ["password"] = Password }));
        var (type, obj) = await watch.NextAsync();

        Assert.Equal(Password64, list.GetProperty("items")[0].GetProperty("data").GetProperty("password").GetString());
        Assert.Equal("ADDED", type);
        Assert.Equal(Password64, obj.GetProperty("data").GetProperty("password").GetString());
    }

    [Fact]
    public async Task Rotation_NewKeyFirst_ReadsOldValuesAndWritesWithTheNewKey()
    {
        await Created(Server, Secrets, SecretApiTests.Secret("old", stringData: new() { ["password"] = Password }));
        await using var rotated = await TestApiServer.StartAsync(Server.Store, With(AesGcm(("key2", Key2), ("key1", Key1))));

        var read = await Read(await rotated.Http.GetAsync(Secrets + "/old"));
        await Created(rotated, Secrets, SecretApiTests.Secret("new", stringData: new() { ["password"] = Password }));
        var rewritten = await rotated.PatchAsync(Secrets + "/old", "{\"metadata\":{\"labels\":{\"rotated\":\"yes\"}}}", "application/merge-patch+json");

        Assert.Equal(Password64, read.GetProperty("data").GetProperty("password").GetString());
        Assert.StartsWith("k8s:enc:aesgcm:v1:key2:", await RawAsync("/registry/secrets/default/new"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rewritten.StatusCode);
        Assert.StartsWith("k8s:enc:aesgcm:v1:key2:", await RawAsync("/registry/secrets/default/old"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WrittenWithAKeyNotConfigured_IsA500NamingTheKey()
    {
        await using var other = await TestApiServer.StartAsync(Server.Store, With(AesGcm(("key2", Key2))));
        await Created(other, Secrets, SecretApiTests.Secret("s1", stringData: new() { ["password"] = Password }));

        var get = await Server.Http.GetAsync(Secrets + "/s1");
        var list = await Server.Http.GetAsync(Secrets);
        var status = await Read(get);

        Assert.Equal(HttpStatusCode.InternalServerError, get.StatusCode);
        Assert.Equal(
            "Internal error occurred: unable to transform key \"/registry/secrets/default/s1\": it was written with aesgcm key \"key2\", which the encryption configuration does not hold",
            Message(status));
        Assert.Equal(HttpStatusCode.InternalServerError, list.StatusCode);
        // The server goes on serving: other resources, and Secrets it can read.
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("/api/v1/namespaces/default/configmaps")).StatusCode);
    }

    [Fact]
    public async Task Restart_ExistingSecrets_AreReadAgain()
    {
        await Created(Server, Secrets, SecretApiTests.Secret("s1", stringData: new() { ["password"] = Password }));

        await RestartAsync();
        var got = await Read(await Server.Http.GetAsync(Secrets + "/s1"));

        Assert.Equal(Password64, got.GetProperty("data").GetProperty("password").GetString());
    }

    [Fact]
    public async Task Get_ValueInKubeApiserverFormat_Decrypts()
    {
        // What kube-apiserver's aesgcm transformer writes: prefix, 12-byte nonce, ciphertext and
        // tag, with the etcd key as associated data; built here by hand from the platform's AES-GCM.
        const string Key = "/registry/secrets/default/from-k8s";
        var json = Encoding.UTF8.GetBytes($"{{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{{\"name\":\"from-k8s\",\"namespace\":\"default\",\"uid\":\"u\",\"creationTimestamp\":\"2026-12-06T10:00:00Z\"}},\"data\":{{\"password\":\"{Password64}\"}},\"type\":\"Opaque\"}}");
        var prefix = "k8s:enc:aesgcm:v1:key1:"u8.ToArray();
        var stored = new byte[prefix.Length + 12 + json.Length + 16];
        prefix.CopyTo(stored, 0);
        RandomNumberGenerator.Fill(stored.AsSpan(prefix.Length, 12));
        using (var aes = new AesGcm(Convert.FromBase64String(Key1), 16))
        {
            aes.Encrypt(stored.AsSpan(prefix.Length, 12), json, stored.AsSpan(prefix.Length + 12, json.Length), stored.AsSpan(prefix.Length + 12 + json.Length), Encoding.UTF8.GetBytes(Key));
        }

        await Server.Store.CommitAsync(new StoreTxn([StoreCondition.Absent(Key)], [new StorePut(Key, stored)]));
        var got = await Read(await Server.Http.GetAsync(Secrets + "/from-k8s"));

        Assert.Equal(Password64, got.GetProperty("data").GetProperty("password").GetString());
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class EncryptedSecretsOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : EncryptedSecretsTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class EncryptedSecretsOnEtcdTests(EtcdStoreBackend backend) : EncryptedSecretsTests(backend), IClassFixture<EtcdStoreBackend>;
