using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Bootstrap;

/// <summary>
/// Approves and signs every CSR of the secured server with its CAs (client signers by the client CA,
/// kubelet-serving by the server CA) through the admin client, as the controller manager's
/// csrapproving and csrsigning would; records what it saw. <see cref="Lifetime"/> picks each certificate's life.
/// </summary>
internal sealed class TestCsrSigner : IAsyncDisposable
{
    private readonly SecuredApiServer _server;
    private readonly KubeClient _admin;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TestCsrSigner(SecuredApiServer server)
    {
        _server = server;
        _admin = server.ClientAs("admin", "system:masters");
        _loop = RunAsync(_stop.Token);
    }

    /// <summary>The lifetime of the n-th (0-based) certificate of a signer.</summary>
    public Func<string, int, TimeSpan> Lifetime { get; set; } = (_, _) => TimeSpan.FromDays(365);

    /// <summary>Signers whose requests are left pending.</summary>
    public HashSet<string> Ignored { get; } = [];

    /// <summary>Every CSR signed, in order: its name, signer and requesting user.</summary>
    public ConcurrentQueue<(string Name, string Signer, string User)> Signed { get; } = new();

    public int CountOf(string signer) => Signed.Count(s => s.Signer == signer);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _admin.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var list = await _admin.ListAsync<CertificateSigningRequest>(null, cancellationToken: cancellationToken);
            foreach (var csr in list.Items)
            {
                var signer = csr.Spec!.SignerName!;
                if (csr.Status?.Certificate is { Length: > 0 } || Ignored.Contains(signer))
                {
                    continue;
                }

                await SignAsync(csr, signer, cancellationToken);
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task SignAsync(CertificateSigningRequest csr, string signer, CancellationToken cancellationToken)
    {
        csr.Status ??= new CertificateSigningRequestStatus();
        csr.Status.Conditions = [new CertificateSigningRequestCondition { Type = "Approved", Status = "True", Reason = "TestApproved", Message = "approved by the test" }];
        var approved = await _admin.UpdateSubresourceAsync(csr, "approval", cancellationToken);
        var request = CertificateRequest.LoadSigningRequestPem(
            System.Text.Encoding.ASCII.GetString(csr.Spec!.Request!), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        var serving = signer == NodeSigners.Serving;
        var ca = serving ? _server.ServerCa : _server.ClientCa;
        using var certificate = ca.Sign(request, serving ? CertificateUsage.Server : CertificateUsage.Client, Lifetime(signer, CountOf(signer)), TimeProvider.System);
        approved.Status!.Certificate = System.Text.Encoding.ASCII.GetBytes(PemFiles.Encode(certificate));
        await _admin.UpdateSubresourceAsync(approved, "status", cancellationToken);
        Signed.Enqueue((csr.Metadata.Name!, signer, csr.Spec.Username ?? ""));
    }
}

/// <summary>The two kubelet signers.</summary>
internal static class NodeSigners
{
    public const string Client = "kubernetes.io/kube-apiserver-client-kubelet";
    public const string Serving = "kubernetes.io/kubelet-serving";
}
