using System.Collections.Frozen;
using System.Collections.Immutable;

namespace KubeProxyFast.Dataplane.Snapshot;

/// <summary>
/// Everything the dataplane should serve, as one immutable value: the engine and the netfilter
/// rulesets both render from it, and <see cref="SnapshotDiff"/> compares two of them so only
/// changed service ports are touched. Ports are kept sorted by id; ids are unique.
/// </summary>
public sealed class ProxySnapshot
{
    private readonly FrozenDictionary<ServicePortId, ServicePortSpec> _byId;

    /// <summary>Creates a snapshot; throws when two ports share an id.</summary>
    public ProxySnapshot(IEnumerable<ServicePortSpec> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var sorted = ports.OrderBy(p => p.Id).ToImmutableArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Id == sorted[i - 1].Id)
            {
                throw new ArgumentException($"service port {sorted[i].Id} appears twice in the snapshot", nameof(ports));
            }
        }

        Ports = sorted;
        _byId = sorted.ToFrozenDictionary(p => p.Id);
    }

    /// <summary>The snapshot with no services.</summary>
    public static ProxySnapshot Empty { get; } = new([]);

    /// <summary>The service ports, sorted by id.</summary>
    public ImmutableArray<ServicePortSpec> Ports { get; }

    /// <summary>The service port with <paramref name="id"/>, or null.</summary>
    public ServicePortSpec? Find(ServicePortId id) => _byId.GetValueOrDefault(id);
}
