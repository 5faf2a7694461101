using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>Kernel mode: snapshots go to the netfilter loop alone, which DNATs service traffic straight to endpoints.</summary>
public sealed class KernelTarget : ISnapshotTarget
{
    private readonly NetfilterSyncLoop _loop;
    private ProxySnapshot _last = ProxySnapshot.Empty;

    /// <param name="loop">The loop programming the kernel-mode rules.</param>
    public KernelTarget(NetfilterSyncLoop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        _loop = loop;
    }

    /// <inheritdoc/>
    /// <remarks>The rules are programmed by the loop's thread right after; a refusal there is logged and counted, and the rules from before stay.</remarks>
    public ApplyResult Apply(ProxySnapshot snapshot)
    {
        var diff = SnapshotDiff.Compute(_last, snapshot);
        _loop.Update(snapshot);
        _last = snapshot;
        return new ApplyResult(diff.Added.Count, diff.Changed.Count, diff.Removed.Count, []);
    }

    /// <inheritdoc/>
    public IEnumerable<string> Describe(ServicePortSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        yield return $"{spec.ClusterIP}:{spec.Port} (kernel DNAT)";
        foreach (var external in spec.ExternalIPs)
        {
            yield return $"{external}:{spec.Port}";
        }

        if (spec.NodePort is { } nodePort)
        {
            yield return $"node port {nodePort}";
        }
    }
}
