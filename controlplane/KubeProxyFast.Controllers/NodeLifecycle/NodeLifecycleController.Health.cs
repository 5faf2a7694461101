using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.NodeLifecycle;

public sealed partial class NodeLifecycleController
{
    // The conditions a silent node gets as Unknown, as Kubernetes' nodeConditionTypes.
    private static readonly string[] MonitoredConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

    /// <summary>
    /// Judges <paramref name="node"/>, retrying with a fresh copy when the status write conflicts
    /// (as Kubernetes, 5 tries); null when it could not (logged; the next pass tries again).
    /// </summary>
    private async Task<HealthResult?> UpdateNodeHealthAsync(Node node, CancellationToken cancellationToken)
    {
        var name = node.Metadata.Name!;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1)
                {
                    node = await _context.Client.GetAsync<Node>(null, name, cancellationToken).ConfigureAwait(false);
                }

                return await TryUpdateNodeHealthAsync(node, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < 5)
            {
            }
            catch (Exception e) when (e is KubeApiException or KubeConnectionException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                NodeLifecycleLog.HealthUpdateFailed(_logger, name, e);
                return null;
            }
        }
    }

    /// <summary>
    /// Kubernetes' <c>tryUpdateNodeHealth</c>: records when a new heartbeat (the Ready condition's
    /// heartbeat time changed) or a Lease renewal was seen, and once neither was seen for the grace
    /// period sets the node's conditions to Unknown through <c>nodes/status</c>.
    /// </summary>
    private async Task<HealthResult> TryUpdateNodeHealthAsync(Node node, CancellationToken cancellationToken)
    {
        var now = Now;
        var name = node.Metadata.Name!;
        var ready = ReadyOf(node);
        // A node that never posted Ready is judged as Unknown since its creation (Kubernetes' fake condition).
        var observedStatus = ready?.Status ?? ConditionStatuses.Unknown;
        var grace = ready is null ? _options.NodeStartupGracePeriod : _options.NodeMonitorGracePeriod;
        var lease = _leases.Lister.Get(NodeLeaseNamespace, name);
        NodeHealth health;
        lock (_lock)
        {
            if (!_health.TryGetValue(name, out health!))
            {
                var created = node.Metadata.CreationTimestamp ?? now;
                health = ready is null
                    ? new NodeHealth { ProbeTimestamp = created, ReadyTransitionTimestamp = created }
                    : new NodeHealth { ReadyCondition = Copy(ready), ProbeTimestamp = now, ReadyTransitionTimestamp = now };
                _health[name] = health;
            }
            else if (ready is not null && (health.ReadyCondition is null || health.ReadyCondition.LastHeartbeatTime != ready.LastHeartbeatTime))
            {
                if (health.ReadyCondition is null || health.ReadyCondition.LastTransitionTime != ready.LastTransitionTime)
                {
                    health.ReadyTransitionTimestamp = now;
                }

                health.ReadyCondition = Copy(ready);
                health.ProbeTimestamp = now;
            }

            if (lease?.Spec?.RenewTime is { } renewed && (health.LeaseRenewTime is not { } seen || seen < renewed))
            {
                health.LeaseRenewTime = renewed;
                health.ProbeTimestamp = now;
            }
        }

        var silentSince = health.ProbeTimestamp;
        if (now - silentSince <= grace || !MarkUnknown(node, now))
        {
            return new HealthResult(node, observedStatus, ready, health);
        }

        NodeLifecycleLog.NodeSilent(_logger, name, now - silentSince, grace);
        var updated = await _context.Client.UpdateStatusAsync(node, cancellationToken).ConfigureAwait(false);
        var current = ReadyOf(updated);
        lock (_lock)
        {
            // Our own write is not a heartbeat: remember the condition as written, so that only a
            // heartbeat time the kubelet changes counts as news.
            health.ReadyCondition = current is null ? null : Copy(current);
        }

        return new HealthResult(updated, observedStatus, current, health);
    }

    /// <summary>Sets the monitored conditions of a silent node to Unknown; false when they already were.</summary>
    private static bool MarkUnknown(Node node, DateTimeOffset now)
    {
        var status = node.Status ??= new NodeStatus();
        var conditions = status.Conditions ??= [];
        var changed = false;
        foreach (var type in MonitoredConditions)
        {
            var condition = conditions.Find(c => c.Type == type);
            if (condition is null)
            {
                conditions.Add(new NodeCondition
                {
                    Type = type,
                    Status = ConditionStatuses.Unknown,
                    Reason = "NodeStatusNeverUpdated",
                    Message = "Kubelet never posted node status.",
                    LastHeartbeatTime = node.Metadata.CreationTimestamp,
                    LastTransitionTime = now,
                });
                changed = true;
            }
            else if (condition.Status != ConditionStatuses.Unknown)
            {
                condition.Status = ConditionStatuses.Unknown;
                condition.Reason = "NodeStatusUnknown";
                condition.Message = "Kubelet stopped posting node status.";
                condition.LastTransitionTime = now;
                changed = true;
            }
        }

        return changed;
    }

    private static NodeCondition? ReadyOf(Node node) => node.Status?.Conditions?.Find(c => c.Type == "Ready");

    private static NodeCondition Copy(NodeCondition condition) => new()
    {
        Type = condition.Type,
        Status = condition.Status,
        LastHeartbeatTime = condition.LastHeartbeatTime,
        LastTransitionTime = condition.LastTransitionTime,
        Reason = condition.Reason,
        Message = condition.Message,
    };

    /// <summary>
    /// A node as judged: <paramref name="Node"/> as it now is, the Ready status the kubelet (or an
    /// earlier pass) had posted, the Ready condition after this pass, and the node's timestamps.
    /// </summary>
    private sealed record HealthResult(Node Node, string ObservedStatus, NodeCondition? Current, NodeHealth Health);
}
