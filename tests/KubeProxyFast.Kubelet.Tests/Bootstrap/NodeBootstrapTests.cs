using System.Net;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.Client;
using KubeProxyFast.Kubelet.Bootstrap;
using KubeProxyFast.Pki;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Kubelet.Tests.Bootstrap;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeBootstrapTests : IAsyncLifetime
{
    private const string Node = "node-a";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private SecuredApiServer _server = null!;
    private string _agent = null!;
    private JoinToken _token = null!;

    public async Task InitializeAsync()
    {
        _server = await SecuredApiServer.StartAsync(configure: s => s with { AdditionalAuthorizers = [new CsrTestGrants()] });
        _agent = Path.Combine(_server.Directory, "agent");
        var bootstrap = BootstrapToken.Generate();
        using var admin = _server.ClientAs("admin", "system:masters");
        await admin.CreateAsync(BootstrapTokenSecret.Build(bootstrap, new BootstrapTokenOptions()), CancellationToken.None);
        _token = JoinToken.Create(System.Text.Encoding.ASCII.GetBytes(_server.ServerCaPem), bootstrap.Id, bootstrap.Secret);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StartAsync_TokenPinsAnotherCa_RefusesNamingBothHashesAndWritesNothing()
    {
        var other = JoinToken.Parse($"K10{new string('a', 64)}::{_token.BearerToken}");

        var error = await Assert.ThrowsAsync<NodeBootstrapException>(() => NodeBootstrap.StartAsync(Options(other), NullLoggerFactory.Instance, CancellationToken.None));

        Assert.Contains(new string('a', 64), error.Message, StringComparison.Ordinal);
        Assert.Contains(_token.CaHash, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_agent) && Directory.EnumerateFileSystemEntries(_agent, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task StartAsync_UnknownBootstrapToken_FailsWith401()
    {
        var unknown = JoinToken.Create(System.Text.Encoding.ASCII.GetBytes(_server.ServerCaPem), "zzzzzz", "0123456789abcdef");

        var error = await Assert.ThrowsAsync<NodeBootstrapException>(() => NodeBootstrap.StartAsync(Options(unknown), NullLoggerFactory.Instance, CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("zzzzzz", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_agent, "pki", "kubelet-client.crt")));
    }

    [Fact]
    public async Task StartAsync_ServerUnreachable_NamesTheUrl()
    {
        var options = Options(_token) with { Server = new Uri("https://127.0.0.1:1") };

        var error = await Assert.ThrowsAsync<NodeBootstrapException>(() => NodeBootstrap.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None));

        Assert.Contains("https://127.0.0.1:1/cacerts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_CsrDenied_FailsNamingTheCsr()
    {
        using var admin = _server.ClientAs("admin", "system:masters");
        using var denier = new CancellationTokenSource();
        var denying = DenyAllAsync(admin, denier.Token);

        var error = await Assert.ThrowsAsync<NodeBootstrapException>(() => NodeBootstrap.StartAsync(Options(_token), NullLoggerFactory.Instance, CancellationToken.None));
        await denier.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => denying);

        Assert.Matches("CertificateSigningRequest node-csr-[0-9a-f]{16} was denied: TestDenied", error.Message);
    }

    [Fact]
    public async Task StartAsync_NeverSigned_TimesOutSuggestingTheControllerManager()
    {
        var options = Options(_token) with { ApprovalTimeout = TimeSpan.FromSeconds(2) };

        var error = await Assert.ThrowsAsync<NodeBootstrapException>(() => NodeBootstrap.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None));

        Assert.Contains("controller manager", error.Message, StringComparison.Ordinal);
        Assert.Matches("node-csr-[0-9a-f]{16}", error.Message);
    }

    [Fact]
    public async Task StartAsync_Signed_WritesCertificatesAndAKubeconfigThatAuthenticatesAsTheNode()
    {
        await using var signer = new TestCsrSigner(_server);

        await using (var bootstrap = await NodeBootstrap.StartAsync(Options(_token), NullLoggerFactory.Instance, CancellationToken.None))
        {
            Assert.False(bootstrap.Reused);
            await WaitForAsync(() => File.Exists(bootstrap.Paths.ServingCertificate));
        }

        var paths = NodeCredentialPaths.ForDataDirectory(_server.Directory);
        Assert.Equal(_server.ServerCaPem, await File.ReadAllTextAsync(paths.ServerCa, CancellationToken.None));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.ClientKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.Kubeconfig));
        using var client = PemFiles.ReadCertificateWithKey(paths.ClientCertificate, paths.ClientKey);
        Assert.Equal("system:node:" + Node, CertificateNames.CommonName(client.SubjectName));
        Assert.Equal(["system:nodes"], CertificateNames.Organizations(client.SubjectName));
        using var serving = PemFiles.ReadCertificateWithKey(paths.ServingCertificate, paths.ServingKey);
        var (dns, ips) = CertificateNames.AlternativeNames(serving.Extensions.Cast<X509Extension>());
        Assert.Equal([Node], dns);
        Assert.Equal([IPAddress.Parse("198.18.0.7")], ips);
        var (first, _, requester) = Assert.Single(signer.Signed, s => s.Signer == NodeSigners.Client);
        Assert.StartsWith("node-csr-", first, StringComparison.Ordinal);
        Assert.Equal("system:bootstrap:" + _token.TokenId, requester);
        Assert.Equal("system:node:" + Node, Assert.Single(signer.Signed, s => s.Signer == NodeSigners.Serving).User);

        // The kubeconfig names files and authenticates as the node (its CSRs are listable under the test's grants).
        Assert.Contains("client-certificate: \"" + paths.ClientCertificate + "\"", await File.ReadAllTextAsync(paths.Kubeconfig, CancellationToken.None), StringComparison.Ordinal);
        using var node = KubeClient.FromKubeconfig(paths.Kubeconfig);
        var csrs = await node.ListAsync<CertificateSigningRequest>(null, cancellationToken: CancellationToken.None);
        Assert.Equal(2, csrs.Items.Count);
    }

    [Fact]
    public async Task StartAsync_Restart_ReusesTheCertificateWithoutANewCsr()
    {
        await using var signer = new TestCsrSigner(_server);
        await using (var first = await NodeBootstrap.StartAsync(Options(_token), NullLoggerFactory.Instance, CancellationToken.None))
        {
            await WaitForAsync(() => File.Exists(first.Paths.ServingCertificate));
        }

        var paths = NodeCredentialPaths.ForDataDirectory(_server.Directory);
        var certificate = await File.ReadAllTextAsync(paths.ClientCertificate, CancellationToken.None);

        await using (var second = await NodeBootstrap.StartAsync(Options(_token), NullLoggerFactory.Instance, CancellationToken.None))
        {
            Assert.True(second.Reused);
        }

        Assert.Equal(certificate, await File.ReadAllTextAsync(paths.ClientCertificate, CancellationToken.None));
        Assert.Equal(1, signer.CountOf(NodeSigners.Client));
        Assert.Equal(1, signer.CountOf(NodeSigners.Serving));
    }

    [Fact]
    public async Task StartAsync_Restart_ExpiredCertificateBootstrapsAgainWithTheToken()
    {
        await using var signer = new TestCsrSigner(_server);
        var paths = NodeCredentialPaths.ForDataDirectory(_server.Directory);
        // An earlier run's certificate that has expired.
        using (var expired = _server.ClientCa.Issue(new LeafSpec { CommonName = "system:node:" + Node, Organizations = ["system:nodes"], Lifetime = TimeSpan.FromMinutes(-1) }, TimeProvider.System))
        {
            PemFiles.WriteCertificateAndKey(paths.ClientCertificate, paths.ClientKey, expired);
        }

        await using (var bootstrap = await NodeBootstrap.StartAsync(Options(_token), NullLoggerFactory.Instance, CancellationToken.None))
        {
            Assert.False(bootstrap.Reused);
        }

        Assert.Equal("system:bootstrap:" + _token.TokenId, Assert.Single(signer.Signed, s => s.Signer == NodeSigners.Client).User);
        using var renewed = PemFiles.ReadCertificateWithKey(paths.ClientCertificate, paths.ClientKey);
        Assert.True(renewed.NotAfter > DateTime.Now);
    }

    [Fact]
    public async Task Rotation_ClientCertificateDue_RenewsItAsTheNodeAndClientsFollow()
    {
        await using var signer = new TestCsrSigner(_server)
        {
            // The first client certificate reaches 80% of its life (counted from its 5-minute backdate) ~15 s after issue.
            Lifetime = (s, n) => s == NodeSigners.Client && n == 0 ? TimeSpan.FromSeconds(100) : TimeSpan.FromDays(365),
        };
        var options = Options(_token) with { RetryInterval = TimeSpan.FromSeconds(1) };
        await using var bootstrap = await NodeBootstrap.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        using var node = KubeClient.FromKubeconfig(bootstrap.Paths.Kubeconfig);
        var first = await File.ReadAllTextAsync(bootstrap.Paths.ClientCertificate, CancellationToken.None);

        await WaitForAsync(() => signer.CountOf(NodeSigners.Client) == 2);
        await WaitForAsync(() => File.ReadAllText(bootstrap.Paths.ClientCertificate) != first);

        Assert.Equal("system:node:" + Node, signer.Signed.Where(s => s.Signer == NodeSigners.Client).Last().User);
        using var renewed = PemFiles.ReadCertificateWithKey(bootstrap.Paths.ClientCertificate, bootstrap.Paths.ClientKey);
        Assert.True(renewed.NotAfter > DateTime.Now.AddDays(300));
        // The same client, over new connections, now presents the renewed certificate and is still the node.
        var csrs = await node.ListAsync<CertificateSigningRequest>(null, cancellationToken: CancellationToken.None);
        Assert.True(csrs.Items.Count >= 3);
    }

    [Fact]
    public async Task StartAsync_ServingCsrLeftPending_DoesNotBlockAndRetries()
    {
        await using var signer = new TestCsrSigner(_server);
        signer.Ignored.Add(NodeSigners.Serving);
        var options = Options(_token) with { ApprovalTimeout = TimeSpan.FromSeconds(2), RetryInterval = TimeSpan.FromMilliseconds(500) };

        await using var bootstrap = await NodeBootstrap.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);

        Assert.True(File.Exists(bootstrap.Paths.ClientCertificate));
        using var admin = _server.ClientAs("admin", "system:masters");
        await WaitForAsync(async () => (await admin.ListAsync<CertificateSigningRequest>(null, cancellationToken: CancellationToken.None))
            .Items.Count(c => c.Spec!.SignerName == NodeSigners.Serving) >= 2);
        Assert.False(File.Exists(bootstrap.Paths.ServingCertificate));
    }

    private NodeBootstrapOptions Options(JoinToken token) => new()
    {
        Server = _server.Url,
        Token = token,
        NodeName = Node,
        NodeAddresses = [IPAddress.Parse("198.18.0.7")],
        Paths = NodeCredentialPaths.ForDataDirectory(_server.Directory),
        PollInterval = TimeSpan.FromMilliseconds(200),
    };

    private static async Task DenyAllAsync(KubeClient admin, CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var csr in (await admin.ListAsync<CertificateSigningRequest>(null, cancellationToken: cancellationToken)).Items)
            {
                if (csr.Status?.Conditions is null or [])
                {
                    csr.Status = new CertificateSigningRequestStatus
                    {
                        Conditions = [new CertificateSigningRequestCondition { Type = "Denied", Status = "True", Reason = "TestDenied", Message = "denied by the test" }],
                    };
                    await admin.UpdateSubresourceAsync(csr, "approval", cancellationToken);
                }
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static Task WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(200, CancellationToken.None);
        }
    }
}
