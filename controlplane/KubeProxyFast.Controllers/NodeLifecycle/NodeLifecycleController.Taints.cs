using System.Text.Json.Nodes;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Client;

namespace KubeProxyFast.Controllers.NodeLifecycle;

public sealed partial class NodeLifecycleController
{
    /// <summary>The taint of a node whose Ready condition is Unknown (Kubernetes' TaintNodeUnreachable).</summary>
    public const string UnreachableTaintKey = "node.kubernetes.io/unreachable";

    /// <summary>The taint of a node whose Ready condition is False (Kubernetes' TaintNodeNotReady).</summary>
    public const string NotReadyTaintKey = "node.kubernetes.io/not-ready";

    private static readonly string[] TaintEffects = ["NoSchedule", "NoExecute"];

    /// <summary>
    /// Gives the node the taints of its Ready status — <c>unreachable</c> for Unknown, <c>not-ready</c>
    /// for False, each NoSchedule and NoExecute (with its time added) — and takes away the other
    /// ones; other taints stay. Written as a patch conditional on the resourceVersion, re-read and
    /// retried on a conflict (5 tries); a failure is logged and healed by the next pass.
    /// </summary>
    private async Task ReconcileTaintsAsync(Node node, string readyStatus, CancellationToken cancellationToken)
    {
        var wanted = readyStatus switch
        {
            ConditionStatuses.Unknown => UnreachableTaintKey,
            ConditionStatuses.False => NotReadyTaintKey,
            _ => null,
        };
        var name = node.Metadata.Name!;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1)
                {
                    node = await _context.Client.GetAsync<Node>(null, name, cancellationToken).ConfigureAwait(false);
                }

                if (DesiredTaints(node, wanted) is not { } taints)
                {
                    return;
                }

                await _context.Client.PatchAsync<Node>(null, name, PatchType.Merge, TaintPatch(node, taints), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < 5)
            {
            }
            catch (Exception e) when (e is KubeApiException or KubeConnectionException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                NodeLifecycleLog.TaintsFailed(_logger, name, e);
                return;
            }
        }
    }

    /// <summary>A merge patch of the node's taints, conditional on its resourceVersion (a merge patch replaces the whole list).</summary>
    private static string TaintPatch(Node node, List<Taint> taints)
    {
        var taintArray = new JsonArray();
        foreach (var taint in taints)
        {
            taintArray.Add(JsonNode.Parse(KubeJson.Serialize(taint)));
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = node.Metadata.ResourceVersion },
            ["spec"] = new JsonObject { ["taints"] = taints.Count == 0 ? null : taintArray },
        };
        return patch.ToJsonString();
    }

    /// <summary>The node's taints with those of the controller made to match <paramref name="wantedKey"/>; null when they already do.</summary>
    private List<Taint>? DesiredTaints(Node node, string? wantedKey)
    {
        var current = node.Spec?.Taints ?? [];
        var desired = current.Where(t => t.Key is not (UnreachableTaintKey or NotReadyTaintKey)
            || (t.Key == wantedKey && Array.IndexOf(TaintEffects, t.Effect) >= 0)).ToList();
        if (wantedKey is not null)
        {
            foreach (var effect in TaintEffects)
            {
                if (!desired.Exists(t => t.Key == wantedKey && t.Effect == effect))
                {
                    desired.Add(new Taint { Key = wantedKey, Effect = effect, TimeAdded = effect == "NoExecute" ? Now : null });
                }
            }
        }

        return desired.Count == current.Count && desired.TrueForAll(current.Contains) ? null : desired;
    }
}
