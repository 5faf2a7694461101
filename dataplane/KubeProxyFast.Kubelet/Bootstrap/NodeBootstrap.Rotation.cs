using KubeProxyFast.Client;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Kubelet.Bootstrap;

public sealed partial class NodeBootstrap
{
    // Task.Delay takes at most ~49 days; a year-long certificate's deadline is waited for in steps,
    // re-read each time (the clock may have jumped, another process may have renewed it).
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(12);

    /// <summary>
    /// Keeps <paramref name="kind"/> valid: requests it when missing or unusable, else waits for its
    /// rotation deadline and renews it. A failure is logged and retried; it never stops the kubelet.
    /// </summary>
    private async Task RotateAsync(NodeCertificateKind kind, CancellationToken cancellationToken)
    {
        // Off the caller's thread: StartAsync returns at once.
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            using (var current = NodeCertificateRequest.TryRead(kind, _options.NodeName))
            {
                if (current is not null && NodeCertificateRequest.IsValid(current, _options.Time))
                {
                    var wait = CertificateRenewal.RotationDeadline(current) - _options.Time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait < LongestWait ? wait : LongestWait, _options.Time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }
            }

            try
            {
                var (credentials, identity, certificate) = RenewalCredentials();
                using var owned = certificate;
                using var csr = new CertificateSigningRequestClient(_options.Server, credentials, identity);
                using var renewed = await RequestAsync(csr, kind, _options, identity, _logger, cancellationToken).ConfigureAwait(false);
            }
            catch (NodeBootstrapException e)
            {
                NodeBootstrapLog.RequestFailed(_logger, kind.Name, _options.RetryInterval, e);
                await Task.Delay(_options.RetryInterval, _options.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The node's own client certificate while it is valid (the requester is then the node itself,
    /// which Kubernetes' approver auto-approves as selfnodeclient); the bootstrap token once it has
    /// expired, as the kubelet falls back to its bootstrap kubeconfig.
    /// </summary>
    private (KubeClientCredentials Credentials, string Identity, IDisposable? Certificate) RenewalCredentials()
    {
        var client = NodeCertificateRequest.TryRead(NodeCertificateKind.Client(_options.Paths), _options.NodeName);
        if (client is not null && NodeCertificateRequest.IsValid(client, _options.Time))
        {
            return (KubeClientCredentials.WithCertificate(_trusted, client), $"the node's certificate ({client.Subject})", client);
        }

        client?.Dispose();
        return (KubeClientCredentials.WithToken(_trusted, _options.Token.BearerToken), $"the bootstrap token {_options.Token.TokenId}", null);
    }
}
