using System.Net;
using KubeProxyFast.Linux.Namespaces;
using KubeProxyFast.Linux.Netlink.Route;

namespace KubeProxyFast.Testing;

/// <summary>
/// An Ethernet switch for test machines: a private network namespace holding a bridge, into which
/// each machine's namespace (<see cref="Connect"/>) gets an <c>eth0</c> on <see cref="Subnet"/>,
/// with a default route through the switch's own address (where nothing is routed further: traffic
/// for anything outside the subnet dies there, inside the test). Deleting the namespace on dispose
/// deletes the bridge and every port's veth pair.
/// </summary>
public sealed class L2Switch : IDisposable
{
    private const string Bridge = "br0";
    private int _ports;

    private L2Switch(NetworkNamespace ns) => Namespace = ns;

    /// <summary>The switch's namespace (the bridge and the switch side of every port).</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>The machines' subnet.</summary>
    public static string Subnet => "198.18.0.0/24";

    /// <summary>The switch's address on the bridge, the machines' default gateway.</summary>
    public static string Gateway => "198.18.0.254";

    /// <summary>Creates the switch namespace with the bridge up on <see cref="Gateway"/>.</summary>
    public static L2Switch Create()
    {
        var sw = new L2Switch(NetworkNamespace.Create(""));
        try
        {
            using var links = sw.Namespace.OpenRouteNetlink();
            links.CreateBridge(Bridge);
            links.AddAddress(Bridge, IPAddress.Parse(Gateway), 24);
            links.SetUp(Bridge);
            return sw;
        }
        catch
        {
            sw.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Plugs <paramref name="machine"/> into the switch: a veth pair whose machine end is <c>eth0</c>
    /// with <paramref name="address"/>/24, up, and a default route through <see cref="Gateway"/>.
    /// </summary>
    public void Connect(NetworkNamespace machine, string address)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var port = "port" + Interlocked.Increment(ref _ports);
        using (var links = Namespace.OpenRouteNetlink())
        using (var target = NetworkNamespaces.Open(machine.Name))
        {
            links.CreateVethPair(port, "eth0", target);
            links.SetMaster(port, Bridge);
            links.SetUp(port);
        }

        using var machineLinks = machine.OpenRouteNetlink();
        machineLinks.AddAddress("eth0", IPAddress.Parse(address), 24);
        machineLinks.SetUp("eth0");
        machineLinks.AddRoute(new RouteEntry(new IPNetwork(IPAddress.Any, 0), IPAddress.Parse(Gateway)));
    }

    /// <inheritdoc/>
    public void Dispose() => Namespace.Dispose();
}
