using System.Text.Json.Nodes;
using KubeProxyFast.Client;
using Microsoft.Extensions.Logging;
using V1Node = KubeProxyFast.Api.Core.Node;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// Registers the kubelet's Node (Kubernetes' <c>registerWithAPIServer</c>): creates it with the
/// description's labels, registration taints and status; when it exists already (a kubelet
/// restart, or a node registered by someone else first) only what the kubelet owns is brought in
/// line — its labels, through a merge patch of those labels alone — so the spec others wrote
/// (podCIDR from IPAM, taints of the node controller or an operator) is kept. The status parts are
/// the status reporter's, written on its first update.
/// </summary>
public sealed class NodeRegistration
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(7);

    private readonly KubeClient _client;
    private readonly NodeDescription _description;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Registration of <paramref name="description"/> through <paramref name="client"/>.</summary>
    public NodeRegistration(KubeClient client, NodeDescription description, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _description = description;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Registers, retrying while the apiserver is unreachable or answers 5xx or a conflict (100 ms
    /// doubling to 7 s, as the kubelet); returns the Node as stored.
    /// </summary>
    /// <exception cref="KubeApiException">The apiserver refused the Node (invalid, forbidden): retrying would not help.</exception>
    public async Task<V1Node> RegisterAsync(CancellationToken cancellationToken)
    {
        var delay = FirstRetry;
        while (true)
        {
            try
            {
                return await TryRegisterAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Retriable(e) && !cancellationToken.IsCancellationRequested)
            {
                NodeLog.RegistrationFailed(_logger, _description.NodeName, delay, e);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 < LongestRetry ? delay * 2 : LongestRetry;
        }
    }

    /// <summary>One attempt: create, or reconcile the existing Node's labels.</summary>
    public async Task<V1Node> TryRegisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            var created = await _client.CreateAsync(_description.ToNode(), cancellationToken).ConfigureAwait(false);
            NodeLog.Registered(_logger, _description.NodeName);
            return created;
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
        }

        var existing = await _client.GetAsync<V1Node>(null, _description.NodeName, cancellationToken).ConfigureAwait(false);
        var patch = LabelPatch(existing);
        if (patch is null)
        {
            NodeLog.AlreadyRegistered(_logger, _description.NodeName);
            return existing;
        }

        var patched = await _client.PatchAsync<V1Node>(null, _description.NodeName, PatchType.Merge, patch, cancellationToken).ConfigureAwait(false);
        NodeLog.LabelsReconciled(_logger, _description.NodeName);
        return patched;
    }

    /// <summary>
    /// A merge patch setting the kubelet's labels that <paramref name="existing"/> lacks or holds
    /// with another value, conditional on its resourceVersion; null when all are in place.
    /// </summary>
    internal string? LabelPatch(V1Node existing)
    {
        var labels = new JsonObject();
        var current = existing.Metadata.Labels;
        foreach (var (key, value) in _description.Labels)
        {
            if (current is null || !current.TryGetValue(key, out var now) || now != value)
            {
                labels[key] = value;
            }
        }

        if (labels.Count == 0)
        {
            return null;
        }

        var metadata = new JsonObject { ["labels"] = labels };
        if (existing.Metadata.ResourceVersion is { Length: > 0 } version)
        {
            metadata["resourceVersion"] = version;
        }

        return new JsonObject { ["metadata"] = metadata }.ToJsonString();
    }

    private static bool Retriable(Exception e) => e switch
    {
        KubeApiException api => api.Code is 0 or 409 or 429 or >= 500 || api.IsNotFound,
        KubeConnectionException or HttpRequestException or TimeoutException => true,
        OperationCanceledException => false,
        _ => false,
    };
}
