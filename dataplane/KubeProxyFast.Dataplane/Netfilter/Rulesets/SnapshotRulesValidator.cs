using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// Checks a snapshot before any of it is sent to the kernel: IPv4 addresses (the table is
/// <c>ip</c>), ports in range, names nft can carry and parse, no two service ports on one key.
/// A bad snapshot is refused whole with every problem named, and nothing is programmed.
/// </summary>
internal static class SnapshotRulesValidator
{
    // NFT_NAME_MAXLEN is 256 with the NUL; the longest name is the affinity set of an endpoint.
    private const int MaxNameBytes = 255;

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem; returns when the snapshot can be programmed.</summary>
    public static void Validate(ProxySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var problems = new List<string>();
        var keys = new Dictionary<(IPAddress?, L4Protocol, int), ServicePortId>();
        foreach (var spec in snapshot.Ports)
        {
            if (spec.ClusterIP.Equals(IPAddress.None))
            {
                continue;
            }

            var id = spec.Id;
            CheckName(id, problems);
            CheckAddress(id, "cluster IP", spec.ClusterIP, problems);
            CheckPort(id, "port", spec.Port, problems);
            Claim(keys, (spec.ClusterIP, spec.Protocol, spec.Port), id, $"{spec.ClusterIP}:{spec.Port}/{spec.Protocol}", problems);
            if (spec.NodePort is { } nodePort)
            {
                CheckPort(id, "node port", nodePort, problems);
                Claim(keys, (null, spec.Protocol, nodePort), id, $"node port {nodePort}/{spec.Protocol}", problems);
            }

            foreach (var external in spec.ExternalIPs)
            {
                CheckAddress(id, "external IP", external, problems);
                Claim(keys, (external, spec.Protocol, spec.Port), id, $"{external}:{spec.Port}/{spec.Protocol}", problems);
            }

            foreach (var endpoint in spec.Endpoints)
            {
                CheckAddress(id, "endpoint", endpoint.Address, problems);
                CheckPort(id, "endpoint port", endpoint.Port, problems);
            }

            if (spec.Affinity.ClientIP && (spec.Affinity.Timeout <= TimeSpan.Zero || spec.Affinity.Timeout.TotalSeconds > uint.MaxValue))
            {
                problems.Add($"{id}: affinity timeout {spec.Affinity.Timeout} must be between 1 s and {uint.MaxValue} s");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"snapshot refused, nothing was programmed: {string.Join("; ", problems)}", nameof(snapshot));
        }
    }

    private static void CheckName(ServicePortId id, List<string> problems)
    {
        if (!IsNameText(id.Namespace) || !IsNameText(id.Name) || !IsNameText(id.Port))
        {
            problems.Add($"{id}: a netfilter name can hold only letters, digits, '-', '_' and '.'");
            return;
        }

        // The longest name we derive: "aff-" + "ns/name/port" + "/255.255.255.255/65535" (ASCII, checked above).
        var longest = id.Namespace.Length + id.Name.Length + id.Port.Length + 2 + "aff-/255.255.255.255/65535".Length;
        if (id.Namespace.Length == 0 || id.Name.Length == 0 || longest > MaxNameBytes)
        {
            problems.Add($"{id}: namespace and name must be non-empty and the id at most {MaxNameBytes - 26} bytes");
        }
    }

    private static bool IsNameText(string part)
    {
        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckAddress(ServicePortId id, string what, IPAddress address, List<string> problems)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            problems.Add($"{id}: {what} {address} is not IPv4 (the kpf table is ip, not ip6)");
        }
        else if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.Broadcast))
        {
            problems.Add($"{id}: {what} {address} is not a unicast address");
        }
    }

    private static void CheckPort(ServicePortId id, string what, int port, List<string> problems)
    {
        if (port is < 1 or > 65535)
        {
            problems.Add($"{id}: {what} {port} must be between 1 and 65535");
        }
    }

    private static void Claim(Dictionary<(IPAddress?, L4Protocol, int), ServicePortId> keys, (IPAddress?, L4Protocol, int) key, ServicePortId id, string what, List<string> problems)
    {
        if (!keys.TryAdd(key, id))
        {
            problems.Add($"{id}: {what} is already taken by {keys[key]}");
        }
    }
}
