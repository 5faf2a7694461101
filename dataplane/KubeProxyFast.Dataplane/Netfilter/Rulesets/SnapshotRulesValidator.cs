using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// Checks a snapshot before any of it is sent to the kernel: IPv4 addresses (the table is
/// <c>ip</c>), ports in range, names nft can carry and parse, no two service ports on one key.
/// A bad snapshot is refused whole with every problem named, and nothing is programmed. After
/// the first, only the ports a change adds or alters are checked — against the index of keys the
/// programmed snapshot holds — so an incremental sync does not pay for the whole snapshot.
/// </summary>
internal sealed class SnapshotRulesValidator
{
    // NFT_NAME_MAXLEN is 256 with the NUL; the longest name is the affinity set of an endpoint.
    private const int MaxNameBytes = 255;

    // Who holds each key (address or node port, protocol, port) in the programmed snapshot.
    private Dictionary<ClaimKey, ServicePortId> _claims = [];

    /// <summary>Checks every port of <paramref name="snapshot"/>; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static PendingClaims CheckAll(ProxySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var problems = new List<string>();
        var claims = new Dictionary<ClaimKey, ServicePortId>();
        foreach (var spec in snapshot.Ports)
        {
            Check(spec, problems);
            Claim(spec, claims, null, null, problems);
        }

        ThrowIfAny(problems);
        return new PendingClaims(claims, [], new Dictionary<ClaimKey, ServicePortId>());
    }

    /// <summary>
    /// Checks the ports <paramref name="diff"/> adds or changes, their keys against those the
    /// programmed snapshot holds (less what the diff removes); throws like <see cref="CheckAll"/>.
    /// </summary>
    public PendingClaims CheckChanges(SnapshotDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var problems = new List<string>();
        var released = new HashSet<ServicePortId>();
        var releasedKeys = new List<(ClaimKey, ServicePortId)>();
        foreach (var spec in diff.Removed.Concat(diff.Changed.Select(c => c.Old)))
        {
            released.Add(spec.Id);
            foreach (var key in ClaimKey.Of(spec))
            {
                releasedKeys.Add((key, spec.Id));
            }
        }

        var claims = new Dictionary<ClaimKey, ServicePortId>();
        foreach (var spec in diff.Added.Concat(diff.Changed.Select(c => c.New)))
        {
            Check(spec, problems);
            Claim(spec, claims, _claims, released, problems);
        }

        ThrowIfAny(problems);
        return new PendingClaims(null, releasedKeys, claims);
    }

    /// <summary>Records the keys of a snapshot the kernel accepted.</summary>
    public void Accept(PendingClaims pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (pending.Replacement is { } all)
        {
            _claims = all;
            return;
        }

        foreach (var (key, owner) in pending.Released)
        {
            if (_claims.TryGetValue(key, out var holder) && holder == owner)
            {
                _claims.Remove(key);
            }
        }

        foreach (var (key, owner) in pending.Added)
        {
            _claims[key] = owner;
        }
    }

    private static void ThrowIfAny(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException($"snapshot refused, nothing was programmed: {string.Join("; ", problems)}");
        }
    }

    /// <summary>Everything about one port but its keys' uniqueness.</summary>
    private static void Check(ServicePortSpec spec, List<string> problems)
    {
        if (spec.ClusterIP.Equals(IPAddress.None))
        {
            return;
        }

        var id = spec.Id;
        CheckName(id, problems);
        CheckAddress(id, "cluster IP", spec.ClusterIP, problems);
        CheckPort(id, "port", spec.Port, problems);
        if (spec.NodePort is { } nodePort)
        {
            CheckPort(id, "node port", nodePort, problems);
        }

        foreach (var external in spec.ExternalIPs)
        {
            CheckAddress(id, "external IP", external, problems);
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

    /// <summary>
    /// Claims the keys of <paramref name="spec"/> in <paramref name="claims"/>; a key another new
    /// port claims, or one <paramref name="held"/> gives to a port not in <paramref name="released"/>, is a problem.
    /// </summary>
    private static void Claim(ServicePortSpec spec, Dictionary<ClaimKey, ServicePortId> claims, Dictionary<ClaimKey, ServicePortId>? held, HashSet<ServicePortId>? released, List<string> problems)
    {
        foreach (var key in ClaimKey.Of(spec))
        {
            if (!claims.TryAdd(key, spec.Id))
            {
                problems.Add($"{spec.Id}: {key} is already taken by {claims[key]}");
            }
            else if (held is not null && held.TryGetValue(key, out var holder) && holder != spec.Id && !released!.Contains(holder))
            {
                problems.Add($"{spec.Id}: {key} is already taken by {holder}");
            }
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
}
