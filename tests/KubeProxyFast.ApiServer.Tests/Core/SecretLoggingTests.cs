using System.Net;
using System.Security.Cryptography;
using KubeProxyFast.ApiServer.Registry.Encryption;
using KubeProxyFast.Storage;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;
using static KubeProxyFast.ApiServer.Tests.Registry.Encryption.EncryptionConfigurationFileTests;

namespace KubeProxyFast.ApiServer.Tests.Core;

/// <summary>
/// Secret values never reach the server's log: every message the apiserver logs while Secrets are
/// created, refused, patched, watched and read back damaged is captured and searched for
/// the value, in plain text and in base64.
/// </summary>
public sealed class SecretLoggingTests
{
    private const string Secrets = "/api/v1/namespaces/default/secrets";
    private const string Value = "s3cr3t-value-never-logged";

    [Fact]
    public async Task SecretLifecycleAndFailures_NeverLogTheValue()
    {
        using var logs = new CapturingLoggerFactory();
        await using var server = await TestApiServer.StartAsync(null, new ApiServerOptions
        {
            ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange,
            Encryption = EncryptionConfigurationFile.Parse(Config(AesGcm(("key1", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))))),
        }, logs);
        var b64 = SecretApiTests.B64(Value);
        using var watch = await Api.WatchReader.OpenAsync(server.Http, Secrets + "?watch=true");
        await Created(server, Secrets, SecretApiTests.Secret("ok", stringData: new() { ["password"] = Value }));
        var refused = new[]
        {
            await server.PostJsonAsync(Secrets, $"{{\"metadata\":{{\"name\":\"b\"}},\"data\":{{\"password\":\"{Value}!\"}}}}"),
            await server.PostJsonAsync(Secrets, SecretApiTests.Secret("d", "kubernetes.io/dockerconfigjson", stringData: new() { [".dockerconfigjson"] = Value })),
            await server.PostJsonAsync(Secrets, SecretApiTests.Secret("bad key", stringData: new() { ["a/b"] = Value })),
            await server.PatchAsync(Secrets + "/ok", $"[{{\"op\":\"test\",\"path\":\"/data/password\",\"value\":\"{b64}x\"}}]", "application/json-patch+json"),
        };
        await server.PatchAsync(Secrets + "/ok", $"{{\"stringData\":{{\"other\":\"{Value}\"}}}}", "application/merge-patch+json");

        // A stored value no key reads: the GET and the watch both report it.
        var stored = (await server.Store.GetAsync("/registry/secrets/default/ok"))!;
        var damaged = stored.Value.ToArray();
        damaged[^1] ^= 1;
        await server.Store.CommitAsync(new StoreTxn([new StoreCondition(stored.Key, stored.ModRevision)], [new StorePut(stored.Key, damaged)]));
        var unreadable = await server.Http.GetAsync(Secrets + "/ok");
        await Eventually.True(() => logs.Messages.Any(m => m.Contains("/registry/secrets/default/ok", StringComparison.Ordinal)), "the watch's report of the damaged value");

        Assert.All(refused, r => Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict or HttpStatusCode.InternalServerError, r.StatusCode.ToString()));
        Assert.Equal(HttpStatusCode.InternalServerError, unreadable.StatusCode);
        Assert.NotEmpty(logs.Messages);
        foreach (var message in logs.Messages)
        {
            Assert.DoesNotContain(Value, message, StringComparison.Ordinal);
            Assert.DoesNotContain(b64[..16], message, StringComparison.Ordinal);
        }
    }
}
