using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// Packs (address, port, ready) triples into the canonical subsets of Kubernetes' RepackSubsets:
/// addresses are one per IP and target UID; each port gets the set of addresses that offer it,
/// an address not ready on a port if any triple says so; ports whose address sets (readiness
/// included) are equal share one subset. Addresses are sorted by IP then UID, as Kubernetes sorts
/// them. Kubernetes orders ports and subsets by an MD5 hash of a Go debug dump, an order that is
/// canonical but arbitrary; here ports are sorted by name, number, protocol, appProtocol and
/// subsets by their first port, equally canonical, so equal inputs give equal output.
/// </summary>
internal sealed class SubsetPacker
{
    private readonly List<EndpointAddress> _addresses;
    private readonly List<PortAddresses> _ports = [];

    /// <param name="capacity">Addresses expected (the pods of the service).</param>
    public SubsetPacker(int capacity) => _addresses = new List<EndpointAddress>(capacity);

    /// <summary>
    /// Adds an address and returns its index for <see cref="Offer"/>. Each address must be a
    /// distinct IP and target UID (the builder adds each pod once, and pods have distinct UIDs),
    /// which spares a dictionary of them.
    /// </summary>
    public int AddAddress(EndpointAddress address)
    {
        _addresses.Add(address);
        return _addresses.Count - 1;
    }

    /// <summary>Records that the address <paramref name="address"/> offers <paramref name="port"/> (<see cref="EndpointPortKey.None"/>: no port), ready or not.</summary>
    public void Offer(int address, EndpointPortKey port, bool ready)
    {
        PortAddresses? entry = null;
        foreach (var candidate in _ports)
        {
            if (candidate.Port == port)
            {
                entry = candidate;
                break;
            }
        }

        if (entry is null)
        {
            entry = new PortAddresses(port, _addresses.Capacity);
            _ports.Add(entry);
        }

        entry.Members.Add((address, ready));
    }

    /// <summary>The canonical subsets (empty when nothing was added).</summary>
    public List<EndpointSubset> Pack()
    {
        if (_ports.Count == 0)
        {
            return [];
        }

        // rank[address index] = its place in the canonical address order; order[rank] = the address index.
        var keys = new AddressSortKey[_addresses.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new AddressSortKey(_addresses[i], i);
        }

        // Span.Sort with a struct comparer is specialised for it: 1,000 addresses take about 10,000
        // comparisons, none through a delegate or an interface.
        keys.AsSpan().Sort(default(AddressSortKeyComparer));
        var order = new int[keys.Length];
        var rank = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            order[i] = keys[i].Index;
            rank[keys[i].Index] = i;
        }

        // Each port's members as rank << 1 | notReady, sorted, one per address (not ready wins).
        var groups = new List<(int[] Members, List<EndpointPortKey> Ports)>();
        foreach (var port in _ports)
        {
            var members = Canonical(port.Members, rank);
            var group = groups.FindIndex(g => g.Members.AsSpan().SequenceEqual(members));
            if (group < 0)
            {
                groups.Add((members, [port.Port]));
            }
            else
            {
                groups[group].Ports.Add(port.Port);
            }
        }

        var subsets = new List<(EndpointPortKey First, EndpointSubset Subset)>(groups.Count);
        foreach (var (members, ports) in groups)
        {
            ports.Sort(EndpointPortKey.Compare);
            var ready = new List<EndpointAddress>();
            var notReady = new List<EndpointAddress>();
            foreach (var member in members)
            {
                ((member & 1) == 0 ? ready : notReady).Add(_addresses[order[member >> 1]]);
            }

            subsets.Add((ports[0], new EndpointSubset
            {
                Addresses = ready.Count > 0 ? ready : null,
                NotReadyAddresses = notReady.Count > 0 ? notReady : null,
                Ports = ports[0] == EndpointPortKey.None ? null : ports.ConvertAll(p => p.ToEndpointPort()),
            }));
        }

        subsets.Sort((a, b) => EndpointPortKey.Compare(a.First, b.First));
        return subsets.ConvertAll(s => s.Subset);
    }

    /// <summary>Kubernetes' LessEndpointAddress: IP bytes, then target UID (an address without a target first).</summary>
    public static int CompareAddresses(EndpointAddress a, EndpointAddress b)
    {
        var c = string.CompareOrdinal(a.Ip, b.Ip);
        if (c != 0)
        {
            return c;
        }

        if (a.TargetRef is null || b.TargetRef is null)
        {
            return (a.TargetRef is null ? 0 : 1) - (b.TargetRef is null ? 0 : 1);
        }

        return string.CompareOrdinal(a.TargetRef.Uid, b.TargetRef.Uid);
    }

    /// <summary>A port's members encoded <c>rank &lt;&lt; 1 | notReady</c> (ints sort fast), sorted, each rank once.</summary>
    private static int[] Canonical(List<(int Address, bool Ready)> members, int[] rank)
    {
        var encoded = new int[members.Count];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = (rank[members[i].Address] << 1) | (members[i].Ready ? 0 : 1);
        }

        Array.Sort(encoded);
        var write = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            if (write > 0 && encoded[write - 1] >> 1 == encoded[i] >> 1)
            {
                // The same address twice on one port: not ready if either says so (the larger code).
                encoded[write - 1] = encoded[i];
                continue;
            }

            encoded[write++] = encoded[i];
        }

        return write == encoded.Length ? encoded : encoded[..write];
    }

    private readonly record struct AddressSortKey(EndpointAddress Address, int Index);

    private readonly struct AddressSortKeyComparer : IComparer<AddressSortKey>
    {
        public int Compare(AddressSortKey x, AddressSortKey y) => CompareAddresses(x.Address, y.Address);
    }

    private sealed class PortAddresses(EndpointPortKey port, int capacity)
    {
        public EndpointPortKey Port { get; } = port;

        public List<(int Address, bool Ready)> Members { get; } = new(capacity);
    }
}
