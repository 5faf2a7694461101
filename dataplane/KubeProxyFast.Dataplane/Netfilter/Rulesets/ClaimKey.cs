using System.Globalization;
using System.Net;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>A key only one service port may hold: an address (none for a node port), protocol and port.</summary>
internal readonly record struct ClaimKey(IPAddress? Address, L4Protocol Protocol, int Port)
{
    /// <summary>The keys <paramref name="spec"/> is reached by (none for a headless port).</summary>
    public static IEnumerable<ClaimKey> Of(ServicePortSpec spec)
    {
        if (spec.ClusterIP.Equals(IPAddress.None))
        {
            yield break;
        }

        yield return new ClaimKey(spec.ClusterIP, spec.Protocol, spec.Port);
        if (spec.NodePort is { } nodePort)
        {
            yield return new ClaimKey(null, spec.Protocol, nodePort);
        }

        foreach (var external in spec.ExternalIPs)
        {
            yield return new ClaimKey(external, spec.Protocol, spec.Port);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Address is null
        ? string.Create(CultureInfo.InvariantCulture, $"node port {Port}/{Protocol}")
        : string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}/{Protocol}");
}
