using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// The Node's addresses: <c>InternalIP</c> (<c>--node-ip</c>, else the address the kernel would
/// send from on the default route) and <c>Hostname</c>, as the kubelet reports them.
/// </summary>
public static class NodeAddresses
{
    // Any address outside every local network: connecting a UDP socket to it makes the kernel
    // choose the route (the default one) and the source address, and sends nothing.
    private static readonly IPAddress OffLink = IPAddress.Parse("8.8.8.8");

    /// <summary>The node's <c>InternalIP</c> and <c>Hostname</c> addresses, in Kubernetes' order.</summary>
    /// <exception cref="InvalidOperationException">No <paramref name="nodeIp"/> was given and the machine has no usable IPv4 address.</exception>
    public static List<NodeAddress> For(string? nodeIp, string hostname)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostname);
        var internalIp = string.IsNullOrEmpty(nodeIp) ? DefaultRouteSource() : nodeIp;
        return
        [
            new NodeAddress { Type = NodeAddressTypes.InternalIP, Address = internalIp },
            new NodeAddress { Type = NodeAddressTypes.Hostname, Address = hostname },
        ];
    }

    /// <summary>
    /// The source address of the default route (a UDP connect, which sends nothing); when there is
    /// no default route, the first IPv4 address of an interface that is up and not loopback.
    /// </summary>
    /// <exception cref="InvalidOperationException">The machine has neither.</exception>
    public static string DefaultRouteSource()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(OffLink, 53));
            if (socket.LocalEndPoint is IPEndPoint { Address: var local } && !IPAddress.IsLoopback(local) && !local.Equals(IPAddress.Any))
            {
                return local.ToString();
            }
        }
        catch (SocketException)
        {
            // ENETUNREACH: no default route (a test's network namespace); look at the interfaces.
        }

        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus == OperationalStatus.Down || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address.ToString();
                }
            }
        }

        throw new InvalidOperationException("the node has no default route and no IPv4 address on an interface that is up: give --node-ip");
    }
}
