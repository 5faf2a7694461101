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
            var pods = network.Pods.Name;
            NetworkNamespace.Ip("-n", node.Name, "link", "add", "veth-pods", "type", "veth", "peer", "name", "eth0", "netns", pods);
            NetworkNamespace.Ip("-n", node.Name, "addr", "add", network.Gateway + "/24", "dev", "veth-pods");
            NetworkNamespace.Ip("-n", node.Name, "link", "set", "veth-pods", "up");
            foreach (var address in podAddresses)
            {
                NetworkNamespace.Ip("-n", pods, "addr", "add", address + "/24", "dev", "eth0");
            }

            NetworkNamespace.Ip("-n", pods, "link", "set", "eth0", "up");
            NetworkNamespace.Ip("-n", pods, "route", "add", "default", "via", network.Gateway);
            // A pod reaching a service comes back out to a pod: the node forwards.
            node.ExecChecked("sysctl", "-qw", "net.ipv4.ip_forward=1");
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
