using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Tests.Support;

/// <summary>A target that keeps what it was given: the pure tests of sources and the pipeline read it.</summary>
internal sealed class RecordingTarget : ISnapshotTarget
{
    private ProxySnapshot _last = ProxySnapshot.Empty;
    private int _applies;

    public ProxySnapshot Last => Volatile.Read(ref _last);

    public int Applies => Volatile.Read(ref _applies);

    public ApplyResult Apply(ProxySnapshot snapshot)
    {
        var diff = SnapshotDiff.Compute(_last, snapshot);
        Volatile.Write(ref _last, snapshot);
        Interlocked.Increment(ref _applies);
        return new ApplyResult(diff.Added.Count, diff.Changed.Count, diff.Removed.Count, []);
    }

    public IEnumerable<string> Describe(ServicePortSpec spec) => [$"{spec.ClusterIP}:{spec.Port}"];
}
