using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Security;

/// <summary>kube-system/extension-apiserver-authentication: the client CA a secured apiserver publishes for delegated authentication.</summary>
public sealed class AuthenticationConfigMapTests
{
    [Fact]
    public async Task Start_SecuredServer_PublishesItsClientCa()
    {
        await using var server = await SecuredApiServer.StartAsync();
        using var client = server.ClientAs("admin", "system:masters");

        var map = await PublishedAsync(client);

        Assert.Equal(PemFiles.Encode(server.ClientCa.Certificate), map.Data!["client-ca-file"]);
        Assert.Equal(server.ClientCa.Certificate.Thumbprint, Assert.Single(PemFiles.ParseCertificates(map.Data["client-ca-file"])).Thumbprint);
    }

    [Fact]
    public async Task Start_EditedConfigMap_ClientCaIsPutBackAndOtherKeysKept()
    {
        await using var first = await SecuredApiServer.StartAsync();
        using var firstClient = first.ClientAs("admin", "system:masters");
        var map = await PublishedAsync(firstClient);
        map.Data!["client-ca-file"] = "tampered";
        map.Data["requestheader-client-ca-file"] = "kept";
        await firstClient.UpdateAsync(map);

        // Another server on the same store (a restart, or a second apiserver) reconciles at start.
        await using var second = await SecuredApiServer.StartAsync(first.Store);
        var expected = PemFiles.Encode(second.ClientCa.Certificate);
        await Eventually.True(async () => (await firstClient.GetAsync<ConfigMap>("kube-system", "extension-apiserver-authentication")).Data?["client-ca-file"] == expected,
            "the client CA put back");

        var after = await firstClient.GetAsync<ConfigMap>("kube-system", "extension-apiserver-authentication");
        Assert.Equal("kept", after.Data!["requestheader-client-ca-file"]);
    }

    private static async Task<ConfigMap> PublishedAsync(KubeClient client)
    {
        ConfigMap? map = null;
        await Eventually.True(async () =>
        {
            try
            {
                map = await client.GetAsync<ConfigMap>("kube-system", "extension-apiserver-authentication");
                return true;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return false;
            }
        }, "the ConfigMap published");
        return map!;
    }
}
