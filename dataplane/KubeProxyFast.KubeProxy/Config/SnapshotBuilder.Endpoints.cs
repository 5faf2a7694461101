using System.Collections.Immutable;
using System.Net;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.KubeProxy.Config;

public static partial class SnapshotBuilder
{
    /// <summary>
    /// The endpoints of one service port, as kube-proxy's endpoints change tracker finds them:
    /// every subset port with the service port's name and protocol, times every ready address of
    /// that subset. Not-ready addresses never receive traffic. Deduplicated and sorted, so that
    /// the same Endpoints written in another order give an equal spec (and no needless update).
    /// </summary>
    internal static ImmutableArray<IPEndPoint> EndpointsOf(Endpoints? endpoints, string portName, string protocol)
    {
        if (endpoints?.Subsets is not { } subsets)
        {
            return [];
        }

        var found = new HashSet<IPEndPoint>();
        foreach (var subset in subsets)
        {
            if (subset.Addresses is not { Count: > 0 } addresses || subset.Ports is not { } ports)
            {
                continue;
            }

            foreach (var port in ports)
            {
                if (!string.Equals(port.Name ?? "", portName, StringComparison.Ordinal) ||
                    !string.Equals(port.Protocol ?? Protocols.Tcp, protocol, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var address in addresses)
                {
                    found.Add(new IPEndPoint(IPAddress.Parse(address.Ip), port.Port));
                }
            }
        }

        var sorted = found.ToArray();
        Array.Sort(sorted, CompareEndPoints);
        return [.. sorted];
    }

    /// <summary>Numeric address order (so 10.0.0.9 comes before 10.0.0.10), then port.</summary>
    internal static int CompareEndPoints(IPEndPoint a, IPEndPoint b)
    {
        var c = a.Address.GetAddressBytes().AsSpan().SequenceCompareTo(b.Address.GetAddressBytes());
        return c != 0 ? c : a.Port.CompareTo(b.Port);
    }
}
