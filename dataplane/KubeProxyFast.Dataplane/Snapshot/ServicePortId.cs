namespace KubeProxyFast.Dataplane.Snapshot;

/// <summary>
/// Identity of one port of one service, printed as kube-proxy prints it: <c>ns/name:port</c>
/// (the port's name; empty for an unnamed single port, printed <c>ns/name:</c>).
/// </summary>
/// <param name="Namespace">The service's namespace.</param>
/// <param name="Name">The service's name.</param>
/// <param name="Port">The service port's name.</param>
public readonly record struct ServicePortId(string Namespace, string Name, string Port) : IComparable<ServicePortId>
{
    /// <inheritdoc/>
    public int CompareTo(ServicePortId other)
    {
        var c = string.CompareOrdinal(Namespace, other.Namespace);
        if (c == 0)
        {
            c = string.CompareOrdinal(Name, other.Name);
        }

        return c == 0 ? string.CompareOrdinal(Port, other.Port) : c;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Namespace}/{Name}:{Port}";

    /// <summary>Ordinal order.</summary>
    public static bool operator <(ServicePortId left, ServicePortId right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator <=(ServicePortId left, ServicePortId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >(ServicePortId left, ServicePortId right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal order.</summary>
    public static bool operator >=(ServicePortId left, ServicePortId right) => left.CompareTo(right) >= 0;
}
