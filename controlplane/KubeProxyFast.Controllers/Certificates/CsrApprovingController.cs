using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Client.WorkQueue;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.Certificates;

/// <summary>
/// kube-controller-manager's <c>csrapproving</c> controller: approves, through <c>/approval</c>
/// with reason <c>AutoApproved</c>, the kubelet client requests (<c>kubernetes.io/kube-apiserver-client-kubelet</c>)
/// of a node renewing its own certificate or of a bootstrapper asking for a node's first one, and
/// — beyond Kubernetes, which leaves serving requests to an operator — the kubelet serving requests
/// a node makes for itself whose every name is one of its Node's addresses. Anything else stays
/// pending. Which requesters may ask is <see cref="RequesterPermissions"/>'s decision.
/// </summary>
public sealed partial class CsrApprovingController : IController
{
    /// <summary>The controller's name in <c>--controllers</c>.</summary>
    public const string ControllerName = "csrapproving";

    private readonly ControllerContext _context;
    private readonly CsrApprovingOptions _options;
    private readonly ILogger _logger;
    private readonly SharedInformer<CertificateSigningRequest> _requests;
    private readonly SharedInformer<Node> _nodes;
    private readonly RateLimitingQueue<string> _queue;

    /// <summary>Builds the controller and registers its handlers.</summary>
    public CsrApprovingController(ControllerContext context, CsrApprovingOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<CsrApprovingController>();
        _queue = context.CreateQueue<string>(ControllerName);
        _requests = context.Informers.InformerFor<CertificateSigningRequest>();
        _requests.AddEventHandler(new ResourceHandler<CertificateSigningRequest>
        {
            OnAdd = Enqueue,
            OnUpdate = (_, csr) => Enqueue(csr),
        });
        // A serving request waits for its node's addresses: a node that changes has its pending requests judged again.
        _nodes = context.Informers.InformerFor<Node>();
        _nodes.AddEventHandler(new ResourceHandler<Node>
        {
            OnAdd = EnqueuePendingServing,
            OnUpdate = (_, node) => EnqueuePendingServing(node),
        });
    }

    /// <inheritdoc/>
    public string Name => ControllerName;

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_requests.WaitForCacheSyncAsync(cancellationToken), _nodes.WaitForCacheSyncAsync(cancellationToken)).ConfigureAwait(false);
            await CsrWorkers.RunAsync(_queue, _options.Workers, SyncAsync, (name, e) => CertificatesLog.SyncFailed(_logger, ControllerName, name, e), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Dispose();
        }
    }

    private async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        var csr = _requests.Lister.Get(null, name);
        if (csr is null || csr.Status?.Certificate is { Length: > 0 } || CsrConditions.IsApprovedOrDenied(csr))
        {
            return;
        }

        var message = Recognize(csr, CertificateRequestPem.Parse(csr.Spec?.Request ?? []));
        if (message is null)
        {
            return;
        }

        var now = _context.Time.GetUtcNow();
        var status = csr.Status ??= new CertificateSigningRequestStatus();
        (status.Conditions ??= []).Add(new CertificateSigningRequestCondition
        {
            Type = CsrConditionTypes.Approved, Status = "True", Reason = "AutoApproved", Message = message, LastUpdateTime = now, LastTransitionTime = now,
        });
        try
        {
            await _context.Client.UpdateSubresourceAsync(csr, "approval", cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return;
        }

        CertificatesLog.Approved(_logger, name, csr.Spec!.SignerName ?? "", csr.Spec.Username ?? "");
    }

    private void Enqueue(CertificateSigningRequest csr)
    {
        if (csr.Metadata.Name is { Length: > 0 } name)
        {
            _queue.Add(name);
        }
    }

    private void EnqueuePendingServing(Node node)
    {
        var user = UserNames.NodePrefix + node.Metadata.Name;
        foreach (var csr in _requests.Lister.List())
        {
            if (csr.Spec?.SignerName == SignerNames.KubeletServing && csr.Spec.Username == user && !CsrConditions.IsApprovedOrDenied(csr))
            {
                Enqueue(csr);
            }
        }
    }
}
