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
    private readonly Dictionary<(string Ip, string Uid), int> _addressIndex;
    private readonly List<EndpointAddress> _addresses;
    private readonly List<PortAddresses> _ports = [];

    /// <param name="capacity">Addresses expected (the pods of the service).</param>
    public SubsetPacker(int capacity)
    {
        _addressIndex = new Dictionary<(string, string), int>(capacity);
        _addresses = new List<EndpointAddress>(capacity);
    }

    /// <summary>Records that <paramref name="address"/> offers <paramref name="port"/> (<see cref="EndpointPortKey.None"/>: no port), ready or not.</summary>
    public void Add(EndpointAddress address, EndpointPortKey port, bool ready)
    {
        var key = (address.Ip, address.TargetRef?.Uid ?? "");
        if (!_addressIndex.TryGetValue(key, out var index))
        {
            index = _addresses.Count;
            _addressIndex.Add(key, index);
            _addresses.Add(address);
        }

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

        entry.Members.Add((index, ready));
    }

    /// <summary>The canonical subsets (empty when nothing was added).</summary>
    public List<EndpointSubset> Pack()
    {
        if (_ports.Count == 0)
        {
            return [];
        }

        // rank[address index] = its place in the canonical address order.
        var order = new int[_addresses.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => CompareAddresses(_addresses[a], _addresses[b]));
        var rank = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            rank[order[i]] = i;
        }

        // Each port's members as (rank, ready), sorted, one per address: not ready wins.
        var groups = new List<(List<(int Rank, bool Ready)> Members, List<EndpointPortKey> Ports)>();
        foreach (var port in _ports)
        {
            var members = Canonical(port.Members, rank);
            var group = groups.FindIndex(g => g.Members.SequenceEqual(members));
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
            foreach (var (r, isReady) in members)
            {
                (isReady ? ready : notReady).Add(_addresses[order[r]]);
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

    private static List<(int Rank, bool Ready)> Canonical(List<(int Address, bool Ready)> members, int[] rank)
    {
        var ranked = new List<(int Rank, bool Ready)>(members.Count);
        foreach (var (address, ready) in members)
        {
            ranked.Add((rank[address], ready));
        }

        ranked.Sort((a, b) => a.Rank.CompareTo(b.Rank));
        var write = 0;
        for (var i = 0; i < ranked.Count; i++)
        {
            if (write > 0 && ranked[write - 1].Rank == ranked[i].Rank)
            {
                ranked[write - 1] = (ranked[i].Rank, ranked[write - 1].Ready && ranked[i].Ready);
                continue;
            }

            ranked[write++] = ranked[i];
        }

        ranked.RemoveRange(write, ranked.Count - write);
        return ranked;
    }

    private sealed class PortAddresses(EndpointPortKey port, int capacity)
    {
        public EndpointPortKey Port { get; } = port;

        public List<(int Address, bool Ready)> Members { get; } = new(capacity);
    }
}
