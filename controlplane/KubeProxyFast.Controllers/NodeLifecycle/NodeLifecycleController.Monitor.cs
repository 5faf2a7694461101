using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Controllers.NodeLifecycle;

public sealed partial class NodeLifecycleController
{
    // Nodes with this label count in no zone's health (Kubernetes' LabelNodeExcludeDisruption).
    private const string ExcludeDisruptionLabel = "node.kubernetes.io/exclude-disruption";

    /// <summary>
    /// One pass of Kubernetes' <c>monitorNodeHealth</c>: registers new nodes and forgets deleted
    /// ones, judges each node, taints it, marks its pods not ready and queues or cancels its
    /// eviction, then sets each zone's eviction rate from the zones' health.
    /// </summary>
    private async Task MonitorNodeHealthAsync(CancellationToken cancellationToken)
    {
        var nodes = _nodes.Lister.List();
        TrackAddedAndDeleted(nodes);
        var zoneToReady = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (var listed in nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await UpdateNodeHealthAsync(listed, cancellationToken).ConfigureAwait(false) is not { } result)
            {
                continue;
            }

            var node = result.Node;
            if (node.Metadata.Labels?.ContainsKey(ExcludeDisruptionLabel) != true)
            {
                var zone = ZoneOf(node);
                if (!zoneToReady.TryGetValue(zone, out var statuses))
                {
                    zoneToReady[zone] = statuses = [];
                }

                statuses.Add(result.Current?.Status);
            }

            var name = node.Metadata.Name!;
            if (result.Current is { } current)
            {
                await ProcessEvictionAsync(result, cancellationToken).ConfigureAwait(false);
                await ReconcileTaintsAsync(node, current.Status, cancellationToken).ConfigureAwait(false);
                var notReady = current.Status != ConditionStatuses.True;
                var turnedNotReady = notReady && result.ObservedStatus == ConditionStatuses.True;
                if (turnedNotReady)
                {
                    _recorder.Event(node, "Normal", "NodeNotReady", $"Node {name} status is now: NodeNotReady");
                }

                // As Kubernetes, pods are marked when the node turns not ready (and again while that
                // failed), not at every pass: pods are read only then.
                if ((turnedNotReady || (notReady && _nodesToRetry.Contains(name)))
                    && !await MarkPodsNotReadyAsync(name, PodsOf(node), cancellationToken).ConfigureAwait(false))
                {
                    _nodesToRetry.Add(name);
                    continue;
                }
            }

            _nodesToRetry.Remove(name);
        }

        HandleDisruption(zoneToReady, nodes);
    }

    /// <summary>Gives a node first seen its zone's eviction queue (and a clean slate); forgets a node gone.</summary>
    private void TrackAddedAndDeleted(IReadOnlyList<Node> nodes)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var name = node.Metadata.Name!;
            var uid = node.Metadata.Uid ?? "";
            var zone = ZoneOf(node);
            present.Add(name);
            if (_known.TryGetValue(name, out var known) && known.Uid == uid)
            {
                if (known.Zone != zone)
                {
                    _known[name] = (uid, zone);
                    EvictorOf(zone);
                }

                continue;
            }

            if (known.Uid is not null)
            {
                Forget(name, known.Zone);
            }

            _known[name] = (uid, zone);
            EvictorOf(zone);
            _recorder.Event(node, "Normal", "RegisteredNode", $"Registered Node {name} in Controller");
            CancelPodEviction(name, zone);
        }

        foreach (var (name, known) in _known.Where(k => !present.Contains(k.Key)).ToArray())
        {
            _recorder.Event(new Node { Kind = "Node", ApiVersion = "v1", Metadata = new ObjectMeta { Name = name, Uid = known.Uid } },
                "Normal", "RemovingNode", $"Removing Node {name} from Controller");
            Forget(name, known.Zone);
            _known.Remove(name);
        }
    }

    private void Forget(string name, string zone)
    {
        lock (_lock)
        {
            _health.Remove(name);
            _evictionStatus.Remove(name);
            _nodesToRetry.Remove(name);
            if (_zonePodEvictors.TryGetValue(zone, out var evictor))
            {
                evictor.Remove(name);
            }
        }
    }

    /// <summary>The eviction queue of <paramref name="zone"/>, made at the normal rate when the zone is new (Kubernetes' addPodEvictorForNewZone).</summary>
    private RateLimitedTimedQueue EvictorOf(string zone)
    {
        lock (_lock)
        {
            if (!_zonePodEvictors.TryGetValue(zone, out var evictor))
            {
                _zoneStates.TryAdd(zone, ZoneState.Initial);
                _zonePodEvictors[zone] = evictor = new RateLimitedTimedQueue(_options.NodeEvictionRate, Elapsed);
            }

            return evictor;
        }
    }
}
