using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>
/// An agent joining with a token, as k3s's agent and Kubernetes' kubelet TLS bootstrap: the server
/// CA pinned by the token's hash, the kubelet's client certificate obtained through a
/// CertificateSigningRequest made with the bootstrap token (or reused from an earlier run while it is
/// valid), and <c>kubelet.kubeconfig</c> written. Then, in the background, the serving certificate is
/// requested with the node's own certificate (a pending one never blocks the kubelet) and both are
/// renewed at 80% of their lifetime (<see cref="CertificateRenewal.RotationDeadline"/>).
/// </summary>
public sealed partial class NodeBootstrap : IAsyncDisposable
{
    private readonly NodeBootstrapOptions _options;
    private readonly ILogger _logger;
    private readonly X509Certificate2Collection _trusted;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _client;
    private readonly Task _serving;

    private NodeBootstrap(NodeBootstrapOptions options, X509Certificate2Collection trusted, bool reused, ILogger logger)
    {
        _options = options;
        _trusted = trusted;
        _logger = logger;
        Reused = reused;
        _client = RotateAsync(NodeCertificateKind.Client(options.Paths), _stop.Token);
        _serving = RotateAsync(NodeCertificateKind.ServingOf(options.Paths), _stop.Token);
    }

    /// <summary>Where the credentials are; <see cref="NodeCredentialPaths.Kubeconfig"/> is the node's kubeconfig.</summary>
    public NodeCredentialPaths Paths => _options.Paths;

    /// <summary>True when an earlier run's client certificate was reused (no CSR made).</summary>
    public bool Reused { get; }

    /// <summary>
    /// Joins (or rejoins) the cluster and starts the background renewal. Returns once
    /// <c>kubelet.kubeconfig</c> holds a valid client certificate.
    /// </summary>
    /// <exception cref="NodeBootstrapException">The server is unreachable or not the token's, the token is refused, or the CSR is denied or never signed.</exception>
    public static async Task<NodeBootstrap> StartAsync(NodeBootstrapOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<NodeBootstrap>();
        var paths = options.Paths;
        var bundle = PinnedBundle(paths, options.Token);
        if (bundle is null)
        {
            // Nothing is written before the server has proven it is the token's.
            bundle = await ServerCaPin.FetchAsync(options.Server, options.Token, cancellationToken).ConfigureAwait(false);
            NodeBootstrapLog.CaPinned(logger, options.Server, options.Token.CaHash);
            PemFiles.WriteOwnerOnly(paths.ServerCa, System.Text.Encoding.ASCII.GetString(bundle));
        }

        var trusted = ServerCaPin.Parse(bundle);
        var client = NodeCertificateKind.Client(paths);
        var current = NodeCertificateRequest.TryRead(client, options.NodeName);
        var reused = current is not null && NodeCertificateRequest.IsValid(current, options.Time);
        if (reused)
        {
            NodeBootstrapLog.Reused(logger, client.Name, current!.NotAfter.ToUniversalTime());
        }
        else
        {
            using var csr = TokenClient(options, trusted);
            current?.Dispose();
            current = await RequestAsync(csr, client, options, $"the bootstrap token {options.Token.TokenId}", logger, cancellationToken).ConfigureAwait(false);
        }

        current!.Dispose();
        NodeKubeconfig.Write(paths, options.Server, options.NodeName);
        return new NodeBootstrap(options, trusted, reused, logger);
    }

    /// <summary>Stops the renewal loops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var loop in new[] { _client, _serving })
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped, as asked.
            }
        }

        _stop.Dispose();
    }

    /// <summary>The pinned bundle of an earlier run when it is still the one <paramref name="token"/> pins; null otherwise (pin again).</summary>
    private static byte[]? PinnedBundle(NodeCredentialPaths paths, JoinToken token)
    {
        if (!File.Exists(paths.ServerCa))
        {
            return null;
        }

        var bundle = File.ReadAllBytes(paths.ServerCa);
        return CaHash.Matches(bundle, token.CaHash) ? bundle : null;
    }

    private static CertificateSigningRequestClient TokenClient(NodeBootstrapOptions options, X509Certificate2Collection trusted) =>
        new(options.Server, KubeClientCredentials.WithToken(trusted, options.Token.BearerToken), $"the bootstrap token {options.Token.TokenId}");

    private static async Task<X509Certificate2> RequestAsync(
        CertificateSigningRequestClient csr, NodeCertificateKind kind, NodeBootstrapOptions options, string identity, ILogger logger, CancellationToken cancellationToken)
    {
        NodeBootstrapLog.Requesting(logger, kind.Name, NodeCertificateRequest.UserOf(options.NodeName), identity);
        var certificate = await NodeCertificateRequest.RequestAsync(
            csr, kind, options.NodeName, options.NodeAddresses, options.ApprovalTimeout, options.PollInterval, options.Time, cancellationToken).ConfigureAwait(false);
        NodeBootstrapLog.Issued(logger, kind.Name, certificate.NotAfter.ToUniversalTime(), CertificateRenewal.RotationDeadline(certificate));
        return certificate;
    }
}
