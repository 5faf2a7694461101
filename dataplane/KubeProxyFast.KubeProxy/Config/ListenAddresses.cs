using System.Net;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.KubeProxy.Config;

/// <summary>
/// Where a service port listens in the engine's direct listen mode (the standalone proxy's):
/// clusterIP:port, every externalIP:port, and the node port on each node port address. Only
/// for telling the operator; the engine decides the same way when it binds.
/// </summary>
public static class ListenAddresses
{
    /// <summary>The addresses <paramref name="spec"/> listens on.</summary>
    public static IEnumerable<IPEndPoint> Of(ServicePortSpec spec, IReadOnlyList<IPAddress> nodePortAddresses)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(nodePortAddresses);
        if (!spec.ClusterIP.Equals(IPAddress.None))
        {
            yield return new IPEndPoint(spec.ClusterIP, spec.Port);
        }

        foreach (var ip in spec.ExternalIPs)
        {
            yield return new IPEndPoint(ip, spec.Port);
        }

        if (spec.NodePort is { } nodePort)
        {
            foreach (var ip in nodePortAddresses)
            {
                yield return new IPEndPoint(ip, nodePort);
            }
        }
    }
}
