using System.Net;
using KubeProxyFast.Linux.Namespaces;
using KubeProxyFast.Linux.Netlink.Route;

namespace KubeProxyFast.Testing;

/// <summary>
/// Pods for a test node: a second network namespace joined to the node's by a veth pair, the
/// way a CNI plugin joins pods to a node. The node side is <see cref="Gateway"/> on
/// <see cref="Subnet"/>; pod addresses sit on the pod side with a default route back through the
/// node, so a pod that calls a service goes through the node's netfilter (hairpin included).
/// </summary>
public sealed class PodNetwork : IDisposable
{
    private PodNetwork(NetworkNamespace pods) => Pods = pods;

    /// <summary>Where the pods' sockets live.</summary>
    public NetworkNamespace Pods { get; }

    /// <summary>The node's address on the pod network.</summary>
    public string Gateway { get; } = "198.18.1.254";

    /// <summary>The pod network.</summary>
    public string Subnet { get; } = "198.18.1.0/24";

    /// <summary>Creates the pods' namespace with <paramref name="podAddresses"/> (in 198.18.1.0/24) and joins it to <paramref name="node"/>.</summary>
    public static PodNetwork Attach(NetworkNamespace node, params string[] podAddresses)
    {
        ArgumentNullException.ThrowIfNull(node);
        var network = new PodNetwork(NetworkNamespace.Create(""));
        try
        {
            var gateway = IPAddress.Parse(network.Gateway);
            using (var nodeLinks = node.OpenRouteNetlink())
            using (var pods = NetworkNamespaces.Open(network.Pods.Name))
            {
                nodeLinks.CreateVethPair("veth-pods", "eth0", pods);
                nodeLinks.AddAddress("veth-pods", gateway, 24);
                nodeLinks.SetUp("veth-pods");
            }

            using (var podLinks = network.Pods.OpenRouteNetlink())
            {
                foreach (var address in podAddresses)
                {
                    podLinks.AddAddress("eth0", IPAddress.Parse(address), 24);
                }

                podLinks.SetUp("eth0");
                podLinks.AddRoute(new RouteEntry(new IPNetwork(IPAddress.Any, 0), gateway));
            }

            // A pod reaching a service comes back out to a pod: the node forwards. Net sysctls
            // belong to the namespace of the thread that opens them.
            node.Run(() =>
            {
                File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1");
                return 0;
            });
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Pods.Dispose();
}
