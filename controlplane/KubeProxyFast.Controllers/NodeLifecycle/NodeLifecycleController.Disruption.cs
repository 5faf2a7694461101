namespace KubeProxyFast.Controllers.NodeLifecycle;

public sealed partial class NodeLifecycleController
{
    /// <summary>
    /// Kubernetes' <c>handleDisruption</c>: when every node of every zone is not ready the cause is
    /// most likely on the controller's side (its network, the apiserver), so all evictions stop and
    /// pending ones are cancelled; when some node is back, every node's timestamps restart (a
    /// fresh grace period) and each zone gets the rate of its state; otherwise a zone whose state
    /// changed gets the rate of its new state.
    /// </summary>
    private void HandleDisruption(Dictionary<string, List<string?>> zoneToReady, IReadOnlyList<Api.Core.Node> nodes)
    {
        lock (_lock)
        {
            var newStates = new Dictionary<string, ZoneState>(StringComparer.Ordinal);
            var allAreFullyDisrupted = true;
            foreach (var (zone, statuses) in zoneToReady)
            {
                var state = ComputeZoneState(statuses);
                allAreFullyDisrupted &= state == ZoneState.FullDisruption;
                newStates[zone] = state;
                _zoneStates.TryAdd(zone, ZoneState.Initial);
            }

            var allWereFullyDisrupted = true;
            foreach (var (zone, state) in _zoneStates.ToArray())
            {
                if (!zoneToReady.ContainsKey(zone))
                {
                    _zoneStates.Remove(zone);
                    continue;
                }

                allWereFullyDisrupted &= state == ZoneState.FullDisruption;
            }

            if (allAreFullyDisrupted && allWereFullyDisrupted)
            {
                return;
            }

            if (allAreFullyDisrupted)
            {
                NodeLifecycleLog.EnteringFullDisruption(_logger);
                foreach (var node in nodes)
                {
                    CancelPodEviction(node.Metadata.Name!, ZoneOf(node));
                }

                foreach (var zone in _zoneStates.Keys.ToArray())
                {
                    EvictorOf(zone).SwapLimiter(0, Elapsed);
                    _zoneStates[zone] = ZoneState.FullDisruption;
                }

                return;
            }

            if (allWereFullyDisrupted)
            {
                NodeLifecycleLog.ExitingFullDisruption(_logger);
                var now = Now;
                foreach (var health in _health.Values)
                {
                    health.ProbeTimestamp = now;
                    health.ReadyTransitionTimestamp = now;
                }
            }

            foreach (var (zone, state) in _zoneStates.ToArray())
            {
                var newState = newStates[zone];
                if (state == newState && !allWereFullyDisrupted)
                {
                    continue;
                }

                NodeLifecycleLog.ZoneStateChanged(_logger, zone, newState);
                EvictorOf(zone).SwapLimiter(RateOf(newState, zoneToReady[zone].Count), Elapsed);
                _zoneStates[zone] = newState;
            }
        }
    }

    /// <summary>Kubernetes' <c>ComputeZoneState</c> over the zone's current Ready statuses (null: none posted).</summary>
    private ZoneState ComputeZoneState(List<string?> statuses)
    {
        var ready = statuses.Count(s => s == Api.Core.ConditionStatuses.True);
        var notReady = statuses.Count - ready;
        if (ready == 0 && notReady > 0)
        {
            return ZoneState.FullDisruption;
        }

        return notReady > 2 && (double)notReady / statuses.Count >= _options.UnhealthyZoneThreshold
            ? ZoneState.PartialDisruption
            : ZoneState.Normal;
    }

    /// <summary>
    /// Evictions per second in a zone of <paramref name="size"/> nodes in <paramref name="state"/>:
    /// a partly disrupted zone of a large cluster evicts at the secondary rate, of a small one not
    /// at all (Kubernetes' ReducedQPSFunc); a fully disrupted zone, while others are not, at the
    /// normal rate (HealthyQPSFunc).
    /// </summary>
    private double RateOf(ZoneState state, int size) => state switch
    {
        ZoneState.PartialDisruption => size > _options.LargeClusterSizeThreshold ? _options.SecondaryNodeEvictionRate : 0,
        _ => _options.NodeEvictionRate,
    };
}
