using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.KubeProxy.Config;

/// <summary>
/// What a config source applies each loaded snapshot to: the userspace engine (direct or behind
/// netfilter redirects), or the kernel's rules alone (kernel mode).
/// </summary>
public interface ISnapshotTarget
{
    /// <summary>Makes <paramref name="snapshot"/> served; ports that cannot be are in <see cref="ApplyResult.Failures"/>.</summary>
    ApplyResult Apply(ProxySnapshot snapshot);

    /// <summary>Where <paramref name="spec"/> is served, for the log.</summary>
    IEnumerable<string> Describe(ServicePortSpec spec);
}
