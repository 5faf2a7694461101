namespace KubeProxyFast.Dataplane.Snapshot;

/// <summary>What changed between two snapshots, by service port.</summary>
/// <param name="Added">Ports only in the new snapshot.</param>
/// <param name="Removed">Ports only in the old snapshot.</param>
/// <param name="Changed">Ports in both whose spec differs (old, new).</param>
public sealed record SnapshotDiff(
    IReadOnlyList<ServicePortSpec> Added,
    IReadOnlyList<ServicePortSpec> Removed,
    IReadOnlyList<(ServicePortSpec Old, ServicePortSpec New)> Changed)
{
    /// <summary>True when nothing changed.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;

    /// <summary>Compares two snapshots in one merge pass over their sorted ports.</summary>
    public static SnapshotDiff Compute(ProxySnapshot previous, ProxySnapshot current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var added = new List<ServicePortSpec>();
        var removed = new List<ServicePortSpec>();
        var changed = new List<(ServicePortSpec, ServicePortSpec)>();
        var a = previous.Ports;
        var b = current.Ports;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var c = i == a.Length ? 1 : j == b.Length ? -1 : a[i].Id.CompareTo(b[j].Id);
            if (c < 0)
            {
                removed.Add(a[i++]);
            }
            else if (c > 0)
            {
                added.Add(b[j++]);
            }
            else
            {
                if (!ReferenceEquals(a[i], b[j]) && !a[i].Equals(b[j]))
                {
                    changed.Add((a[i], b[j]));
                }

                i++;
                j++;
            }
        }

        return new SnapshotDiff(added, removed, changed);
    }
}
