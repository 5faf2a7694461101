using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Client.WorkQueue;
using KubeProxyFast.Pki;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.Certificates;

/// <summary>
/// kube-controller-manager's <c>csrsigning</c> controller: issues the approved requests of the
/// signers it has a CA for (kubernetes.io/kube-apiserver-client, -client-kubelet, kubelet-serving),
/// writing <c>status.certificate</c> through <c>/status</c>. A request that breaks its signer's
/// rules gets a <c>Failed</c> condition (<c>SignerValidationFailure</c>) instead. Denied, failed,
/// pending and issued requests, and other signers' requests, are left alone.
/// </summary>
public sealed partial class CsrSigningController : IController
{
    /// <summary>The controller's name in <c>--controllers</c>.</summary>
    public const string ControllerName = "csrsigning";

    // Kubernetes' minimum validity, also validation's floor for expirationSeconds.
    private static readonly TimeSpan MinimumDuration = TimeSpan.FromMinutes(10);

    private readonly ControllerContext _context;
    private readonly CsrSigningOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, CertificateAuthority> _signers;
    private readonly SharedInformer<CertificateSigningRequest> _requests;
    private readonly RateLimitingQueue<string> _queue;

    /// <summary>Builds the controller, reading its CAs.</summary>
    /// <exception cref="InvalidOperationException">The options are invalid or a configured CA cannot be read (the message says which).</exception>
    public CsrSigningController(ControllerContext context, CsrSigningOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<CsrSigningController>();
        _signers = options.LoadSigners();
        _queue = context.CreateQueue<string>(ControllerName);
        _requests = context.Informers.InformerFor<CertificateSigningRequest>();
        if (_signers.Count == 0)
        {
            return;
        }

        _requests.AddEventHandler(new ResourceHandler<CertificateSigningRequest>
        {
            OnAdd = Enqueue,
            OnUpdate = (_, csr) => Enqueue(csr),
        });
    }

    /// <inheritdoc/>
    public string Name => ControllerName;

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_signers.Count == 0)
            {
                // As Kubernetes: without a CA the controller is off, and stays out of the others' way.
                CertificatesLog.SignerSkipped(_logger);
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                return;
            }

            foreach (var signer in _signers.Keys.Order(StringComparer.Ordinal))
            {
                CertificatesLog.SignerStarted(_logger, signer, _signers[signer].Certificate.Subject);
            }

            await _requests.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
            await CsrWorkers.RunAsync(_queue, _options.Workers, SyncAsync, (name, e) => CertificatesLog.SyncFailed(_logger, ControllerName, name, e), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Dispose();
            // The CAs' keys live as long as the controller runs: a new leadership term builds a new controller.
            foreach (var authority in _signers.Values.Distinct())
            {
                authority.Dispose();
            }
        }
    }

    private async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        var csr = _requests.Lister.Get(null, name);
        if (csr?.Spec is not { } spec || !CsrConditions.IsApproved(csr) || CsrConditions.Has(csr, CsrConditionTypes.Failed)
            || csr.Status?.Certificate is { Length: > 0 } || spec.SignerName is not { } signerName || !_signers.TryGetValue(signerName, out var authority))
        {
            return;
        }

        var request = CertificateRequestPem.Parse(spec.Request ?? []);
        var usages = (IReadOnlyList<string>?)spec.Usages ?? [];
        var status = csr.Status ??= new CertificateSigningRequestStatus();
        if (RuleError(signerName, request, usages) is { } error)
        {
            var now = _context.Time.GetUtcNow();
            (status.Conditions ??= []).Add(new CertificateSigningRequestCondition
            {
                Type = CsrConditionTypes.Failed, Status = "True", Reason = "SignerValidationFailure", Message = error, LastUpdateTime = now, LastTransitionTime = now,
            });
            CertificatesLog.SignFailed(_logger, name, signerName, error);
        }
        else
        {
            var lifetime = Lifetime(spec.ExpirationSeconds);
            using var certificate = authority.Sign(request, Usage(usages), lifetime, _context.Time);
            status.Certificate = System.Text.Encoding.ASCII.GetBytes(PemFiles.Encode(certificate));
            var (subject, notAfter) = (certificate.Subject, certificate.NotAfter.ToUniversalTime());
            CertificatesLog.Signed(_logger, name, signerName, subject, notAfter);
        }

        try
        {
            await _context.Client.UpdateStatusAsync(csr, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
        }
    }

    /// <summary>The signer's rules (Kubernetes' <c>isRequestForSignerFn</c>): why the request cannot be issued by it, or null.</summary>
    private static string? RuleError(string signerName, System.Security.Cryptography.X509Certificates.CertificateRequest request, IReadOnlyList<string> usages) => signerName switch
    {
        SignerNames.KubeApiServerClientKubelet => KubeletCsr.ClientError(request, usages),
        SignerNames.KubeletServing => KubeletCsr.ServingError(request, usages),
        SignerNames.KubeApiServerClient => KubeletCsr.ApiServerClientError(usages),
        _ => "unknown signer " + signerName,
    };

    /// <summary>Kubernetes' duration: the signer's maximum, shortened by the request's expirationSeconds, never under ten minutes.</summary>
    private TimeSpan Lifetime(int? expirationSeconds)
    {
        if (expirationSeconds is not { } seconds)
        {
            return _options.Duration;
        }

        var requested = TimeSpan.FromSeconds(Math.Max(seconds, MinimumDuration.TotalSeconds));
        return requested < _options.Duration ? requested : _options.Duration;
    }

    /// <summary>The extended key usages asked for; key usages are the CA's choice for ECDSA keys (digital signature).</summary>
    private static CertificateUsage Usage(IReadOnlyList<string> usages) =>
        (usages.Contains(KeyUsages.ServerAuth) ? CertificateUsage.Server : 0) | (usages.Contains(KeyUsages.ClientAuth) ? CertificateUsage.Client : 0);

    private void Enqueue(CertificateSigningRequest csr)
    {
        if (csr.Metadata.Name is { Length: > 0 } name)
        {
            _queue.Add(name);
        }
    }
}
