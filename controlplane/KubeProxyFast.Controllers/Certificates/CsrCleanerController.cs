using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Pki;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.Certificates;

/// <summary>
/// kube-controller-manager's <c>csrcleaner</c>: every polling interval, deletes the requests whose
/// time is up — issued ones an hour after approval, denied or failed ones an hour after that
/// condition, pending ones a day after creation — and any whose issued certificate has expired.
/// </summary>
public sealed class CsrCleanerController : IController
{
    /// <summary>The controller's name in <c>--controllers</c>.</summary>
    public const string ControllerName = "csrcleaner";

    private readonly ControllerContext _context;
    private readonly CsrCleanerOptions _options;
    private readonly ILogger _logger;
    private readonly SharedInformer<CertificateSigningRequest> _requests;

    /// <summary>Builds the controller.</summary>
    public CsrCleanerController(ControllerContext context, CsrCleanerOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<CsrCleanerController>();
        _requests = context.Informers.InformerFor<CertificateSigningRequest>();
    }

    /// <inheritdoc/>
    public string Name => ControllerName;

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _requests.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                foreach (var csr in _requests.Lister.List())
                {
                    await CleanAsync(csr, cancellationToken).ConfigureAwait(false);
                }

                await Task.Delay(_options.PollingInterval, _context.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task CleanAsync(CertificateSigningRequest csr, CancellationToken cancellationToken)
    {
        if (Why(csr, _context.Time.GetUtcNow()) is not { } why)
        {
            return;
        }

        var name = csr.Metadata.Name!;
        try
        {
            await _context.Client.DeleteAsync<CertificateSigningRequest>(null, name, new Api.Meta.DeleteOptions { Preconditions = new() { Uid = csr.Metadata.Uid } }, cancellationToken).ConfigureAwait(false);
            CertificatesLog.Cleaned(_logger, name, why);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.Code == 409)
        {
            // Gone already, or replaced by a new request of the same name.
        }
#pragma warning disable CA1031 // One request that cannot be deleted must not stop the others' cleaning; the next poll retries.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            CertificatesLog.SyncFailed(_logger, ControllerName, name, e);
        }
    }

    /// <summary>Why the request is to be deleted now, or null to keep it.</summary>
    private string? Why(CertificateSigningRequest csr, DateTimeOffset now)
    {
        bool Older(DateTimeOffset? time, TimeSpan age) => time is { } t && now - t > age;

        var issued = csr.Status?.Certificate is { Length: > 0 };
        if (issued && Older(CsrConditions.Find(csr, CsrConditionTypes.Approved)?.LastUpdateTime, _options.ApprovedExpiration))
        {
            return "issued more than " + _options.ApprovedExpiration + " ago";
        }

        if (Older(CsrConditions.Find(csr, CsrConditionTypes.Denied)?.LastUpdateTime, _options.DeniedExpiration))
        {
            return "denied more than " + _options.DeniedExpiration + " ago";
        }

        if (Older(CsrConditions.Find(csr, CsrConditionTypes.Failed)?.LastUpdateTime, _options.DeniedExpiration))
        {
            return "failed more than " + _options.DeniedExpiration + " ago";
        }

        if ((csr.Status?.Conditions?.Count ?? 0) == 0 && Older(csr.Metadata.CreationTimestamp, _options.PendingExpiration))
        {
            return "pending for more than " + _options.PendingExpiration;
        }

        if (issued && Expired(csr.Status!.Certificate!, now))
        {
            return "its certificate expired";
        }

        return null;
    }

    private static bool Expired(byte[] pem, DateTimeOffset now)
    {
        try
        {
            var certificates = PemFiles.ParseCertificates(System.Text.Encoding.ASCII.GetString(pem));
            foreach (var certificate in certificates)
            {
                using (certificate)
                {
                    if (now > certificate.NotAfter.ToUniversalTime())
                    {
                        return true;
                    }
                }
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Not ours to judge: validation refuses such content on write.
        }

        return false;
    }
}
