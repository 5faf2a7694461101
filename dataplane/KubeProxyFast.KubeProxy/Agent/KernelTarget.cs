using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>Kernel mode: snapshots go to the netfilter loop alone, which DNATs service traffic straight to endpoints.</summary>
public sealed class KernelTarget : ISnapshotTarget
{
    /// <summary>
    /// Longest wait for the netfilter loop to program a snapshot: a full sync of 50,000 service ports
    /// takes 1.4 s (bench/results/netfilter-latest.md); past this the apply returns and the
    /// loop goes on in the background, so a stuck netlink socket cannot stall the sources.
    /// </summary>
    internal static readonly TimeSpan ProgramTimeout = TimeSpan.FromSeconds(10);

    private readonly NetfilterSyncLoop _loop;
    private ProxySnapshot _last = ProxySnapshot.Empty;

    /// <param name="loop">The loop programming the kernel-mode rules.</param>
    public KernelTarget(NetfilterSyncLoop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        _loop = loop;
    }

    /// <inheritdoc/>
    /// <remarks>Returns once the loop has tried the snapshot; a refusal there is logged and counted, the rules from before stay, and the loop retries.</remarks>
    public ApplyResult Apply(ProxySnapshot snapshot)
    {
        var diff = SnapshotDiff.Compute(_last, snapshot);
        // Applied once the rules are: the network programming latency counts the kernel's part too.
        _loop.Program(snapshot, null, ProgramTimeout);
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
