using System.Net;
using KubeProxyFast.Linux.Namespaces;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Network;

/// <summary>
/// A "node" namespace joined by a veth pair (node side <c>eth0</c>) to a "peers" namespace that
/// holds the addresses of the other nodes (or the outside world), all in one /24 of 198.18.0.0/15.
/// </summary>
internal sealed class NodeLink : IDisposable
{
    private NodeLink(NetworkNamespace node, NetworkNamespace peers)
    {
        Node = node;
        Peers = peers;
    }

    /// <summary>The node under test.</summary>
    public NetworkNamespace Node { get; }

    /// <summary>The other end: other nodes' InternalIPs, or outside hosts.</summary>
    public NetworkNamespace Peers { get; }

    /// <summary>Creates both namespaces: the node gets <paramref name="nodeAddress"/>/24 on eth0, the peers <paramref name="peerAddresses"/>/24 on theirs.</summary>
    public static NodeLink Create(string nodeAddress, params string[] peerAddresses)
    {
        var node = NetworkNamespace.Create("");
        NetworkNamespace? peers = null;
        try
        {
            peers = NetworkNamespace.Create("");
            using (var links = node.OpenRouteNetlink())
            using (var peerNamespace = NetworkNamespaces.Open(peers.Name))
            {
                links.CreateVethPair("eth0", "eth0", peerNamespace);
                links.AddAddress("eth0", IPAddress.Parse(nodeAddress), 24);
                links.SetUp("eth0");
            }

            using (var links = peers.OpenRouteNetlink())
            {
                foreach (var address in peerAddresses)
                {
                    links.AddAddress("eth0", IPAddress.Parse(address), 24);
                }

                links.SetUp("eth0");
            }

            return new NodeLink(node, peers);
        }
        catch
        {
            peers?.Dispose();
            node.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Peers.Dispose();
        Node.Dispose();
    }
}
