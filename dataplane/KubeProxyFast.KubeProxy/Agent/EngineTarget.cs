using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Agent;

/// <summary>
/// Snapshots go to the userspace engine; in userspace mode the netfilter loop then redirects each
/// service port's addresses to the local port the engine chose for it.
/// </summary>
public sealed class EngineTarget : ISnapshotTarget
{
    private readonly ProxyEngine _engine;
    private readonly NetfilterSyncLoop? _redirects;

    /// <param name="engine">The engine that serves the traffic.</param>
    /// <param name="redirects">The loop programming the REDIRECT rules (userspace mode), or null (direct mode).</param>
    public EngineTarget(ProxyEngine engine, NetfilterSyncLoop? redirects = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _redirects = redirects;
    }

    /// <inheritdoc/>
    public ApplyResult Apply(ProxySnapshot snapshot)
    {
        var result = _engine.Apply(snapshot);
        if (result.Failures.Count == 0)
        {
            // Applied once the redirects are: a new service port is reachable only then.
            _redirects?.Program(snapshot, _engine.ProxyPorts, KernelTarget.ProgramTimeout);
        }

        return result;
    }

    /// <inheritdoc/>
    public IEnumerable<string> Describe(ServicePortSpec spec) => _engine.ListenAddresses(spec).Select(a => a.ToString());
}
