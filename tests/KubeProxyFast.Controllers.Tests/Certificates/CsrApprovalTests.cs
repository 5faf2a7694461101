using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Controllers.Tests.Certificates;

/// <summary>TLS bootstrapping through the approver and the signer, against a secured apiserver.</summary>
public sealed class CsrApprovalTests : CsrTestBase
{
    [Fact]
    public async Task BootstrapperNodeClientCsr_Created_IsApprovedAndSignedByClientCa()
    {
        await RunApproverAndSignerAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await CreateAsync(Requester("system:bootstrap:abcdef", Bootstrappers), "node-csr-n1", RequestPem(key, "system:node:n1", [Nodes]),
            SignerNames.KubeApiServerClientKubelet, ClientUsages, s => s.ExpirationSeconds = 3600);
        var certificate = await IssuedAsync("node-csr-n1");

        var csr = await Admin.GetAsync<CertificateSigningRequest>(null, "node-csr-n1");
        var approved = Assert.Single(csr.Status!.Conditions!, c => c.Type == CsrConditionTypes.Approved);
        Assert.Equal(("True", "AutoApproved"), (approved.Status, approved.Reason));
        Assert.Equal("system:node:n1", CertificateNames.CommonName(certificate.SubjectName));
        Assert.Equal([Nodes], CertificateNames.Organizations(certificate.SubjectName));
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Server.ClientCa.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? "").ToArray();
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], usages);
        // expirationSeconds shortens the year-long default.
        Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(70));
    }

    [Fact]
    public async Task IssuedCertificate_UsedAsClientCertificate_AuthenticatesAsTheNode()
    {
        await RunApproverAndSignerAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await CreateAsync(Requester("system:bootstrap:abcdef", Bootstrappers), "node-csr-auth", RequestPem(key, "system:node:n7", [Nodes]),
            SignerNames.KubeApiServerClientKubelet, ClientUsages);
        var issued = await IssuedAsync("node-csr-auth");
        using var withKey = issued.CopyWithPrivateKey(key);
        using var exported = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        using var http = new HttpClient(new HttpClientHandler
        {
            ClientCertificates = { exported },
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.Issuer == Server.ServerCa.Certificate.Subject,
        });
        var response = await http.GetAsync(new Uri(Server.Url, "/api/v1/namespaces/default/secrets/nothing"));
        var body = await response.Content.ReadAsStringAsync();

        // Authenticated (not 401) as the node the certificate names; what the node may read is the authorizers' business.
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("system:node:n7", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extra-organization")]
    [InlineData("wrong-common-name")]
    [InlineData("dns-san")]
    [InlineData("ip-san")]
    [InlineData("server-usage")]
    [InlineData("no-bootstrapper-group")]
    public async Task NodeClientCsr_NotAKubeletClientRequest_StaysPending(string variant)
    {
        await RunApproverAndSignerAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (orgs, cn, extensions, usages, groups) = variant switch
        {
            "extra-organization" => (new[] { Nodes, "system:masters" }, "system:node:n1", Array.Empty<X509Extension>(), ClientUsages, new[] { Bootstrappers }),
            "wrong-common-name" => ([Nodes], "n1", [], ClientUsages, [Bootstrappers]),
            "dns-san" => ([Nodes], "system:node:n1", [Sans(["n1.example"], [])], ClientUsages, [Bootstrappers]),
            "ip-san" => ([Nodes], "system:node:n1", [Sans([], [IPAddress.Parse("198.18.0.1")])], ClientUsages, [Bootstrappers]),
            "server-usage" => ([Nodes], "system:node:n1", [], [KeyUsages.DigitalSignature, KeyUsages.KeyEncipherment, KeyUsages.ClientAuth, KeyUsages.ServerAuth], [Bootstrappers]),
            _ => ([Nodes], "system:node:n1", [], ClientUsages, new[] { "system:authenticated" }),
        };

        await CreateAsync(Requester("system:bootstrap:abcdef", groups), "csr-" + variant, RequestPem(key, cn, orgs, extensions), SignerNames.KubeApiServerClientKubelet, usages);

        await AssertStaysPendingAsync("csr-" + variant);
    }

    [Fact]
    public async Task RenewalByTheNodeItself_IsApproved()
    {
        await RunApproverAndSignerAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await CreateAsync(Requester("system:node:n1", Nodes), "renew-n1", RequestPem(key, "system:node:n1", [Nodes]), SignerNames.KubeApiServerClientKubelet, ClientUsages);
        await IssuedAsync("renew-n1");

        var csr = await Admin.GetAsync<CertificateSigningRequest>(null, "renew-n1");
        Assert.Contains("self kubelet client certificate", Assert.Single(csr.Status!.Conditions!, c => c.Type == CsrConditionTypes.Approved).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewalByAnotherNode_StaysPending()
    {
        await RunApproverAndSignerAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await CreateAsync(Requester("system:node:n2", Nodes), "n2-for-n1", RequestPem(key, "system:node:n1", [Nodes]), SignerNames.KubeApiServerClientKubelet, ClientUsages);

        await AssertStaysPendingAsync("n2-for-n1");
    }

    [Fact]
    public async Task DeniedCsr_IsNeverSigned()
    {
        // Denied before any controller runs; then the signer (and the approver) look at it.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = await CreateAsync(Requester("system:bootstrap:abcdef", Bootstrappers), "denied", RequestPem(key, "system:node:n1", [Nodes]),
            SignerNames.KubeApiServerClientKubelet, ClientUsages);
        csr.Status = new CertificateSigningRequestStatus
        {
            Conditions = [new() { Type = CsrConditionTypes.Denied, Status = "True", Reason = "Test", LastUpdateTime = DateTimeOffset.UtcNow }],
        };
        await Admin.UpdateSubresourceAsync(csr, "approval");
        await RunApproverAndSignerAsync();

        await AssertStaysPendingAsync("denied");
        var after = await Admin.GetAsync<CertificateSigningRequest>(null, "denied");
        Assert.Single(after.Status!.Conditions!, c => c.Type == CsrConditionTypes.Denied);
    }

    [Fact]
    public async Task ServingCsr_NameNotAmongNodeAddresses_StaysPendingWhileOwnAddressesAreApproved()
    {
        await RunApproverAndSignerAsync();
        await Admin.CreateAsync(new Node
        {
            Metadata = new ObjectMeta { Name = "n1" },
            Status = new NodeStatus { Addresses = [new() { Type = NodeAddressTypes.InternalIP, Address = "198.18.0.11" }, new() { Type = NodeAddressTypes.Hostname, Address = "n1" }] },
        });
        string[] servingUsages = [KeyUsages.DigitalSignature, KeyUsages.KeyEncipherment, KeyUsages.ServerAuth];
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var node = Requester("system:node:n1", Nodes);

        await CreateAsync(node, "serving-foreign", RequestPem(key, "system:node:n1", [Nodes], Sans(["n1"], [IPAddress.Parse("198.18.0.99")])), SignerNames.KubeletServing, servingUsages);
        await CreateAsync(node, "serving-own", RequestPem(key, "system:node:n1", [Nodes], Sans(["n1"], [IPAddress.Parse("198.18.0.11")])), SignerNames.KubeletServing, servingUsages);
        var own = await IssuedAsync("serving-own");

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Server.ServerCa.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(own));
        Assert.Equal([IPAddress.Parse("198.18.0.11")], CertificateNames.AlternativeNames(own.Extensions).IpAddresses);
        await AssertStaysPendingAsync("serving-foreign");
    }

    [Fact]
    public async Task ClientSignerCsr_WithServerUsageApprovedByAdmin_FailsInsteadOfSigning()
    {
        await RunApproverAndSignerAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = await CreateAsync(Admin, "client-with-server-usage", RequestPem(key, "alice", ["devs"]), SignerNames.KubeApiServerClient,
            [KeyUsages.DigitalSignature, KeyUsages.ServerAuth]);
        csr.Status = new CertificateSigningRequestStatus
        {
            Conditions = [new() { Type = CsrConditionTypes.Approved, Status = "True", Reason = "Test", LastUpdateTime = DateTimeOffset.UtcNow }],
        };

        await Admin.UpdateSubresourceAsync(csr, "approval");

        CertificateSigningRequest? failed = null;
        await Testing.Eventually.True(async () => (failed = await Admin.GetAsync<CertificateSigningRequest>(null, csr.Metadata.Name!)).Status?.Conditions?.Exists(c => c.Type == CsrConditionTypes.Failed) == true, "Failed condition", Within);
        var condition = Assert.Single(failed!.Status!.Conditions!, c => c.Type == CsrConditionTypes.Failed);
        Assert.Equal(("SignerValidationFailure", "invalid usage for client certificate: server auth"), (condition.Reason, condition.Message));
        Assert.Null(failed.Status.Certificate);
    }
}
