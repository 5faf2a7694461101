using System.Globalization;
using System.Net;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>
/// Names of what we program, all in our own table <c>ip kpf</c>. Per-port names carry the
/// service port id (<c>svc-ns/name/port</c>) so that <c>nft list table ip kpf</c> reads like the
/// snapshot; every character is one nft's parser accepts in an identifier, so a listing loads back
/// with <c>nft -f</c>.
/// </summary>
internal static class RulesetNames
{
    /// <summary>Our table; no other table is ever touched.</summary>
    public const string Table = "kpf";

    public const string NatPrerouting = "nat-prerouting";
    public const string NatOutput = "nat-output";
    public const string NatPostrouting = "nat-postrouting";
    public const string FilterInput = "filter-input";
    public const string FilterForward = "filter-forward";
    public const string FilterOutput = "filter-output";

    /// <summary>Dispatches new connections by destination to the service chains.</summary>
    public const string Services = "services";

    /// <summary>Rejects new connections to service ports without endpoints.</summary>
    public const string FilterServices = "filter-services";

    /// <summary>Sets the masquerade mark (kube-proxy's KUBE-MARK-MASQ).</summary>
    public const string MasqMark = "masq-mark";

    /// <summary>TCP reset or ICMP port unreachable.</summary>
    public const string RejectChain = "reject-chain";

    /// <summary>ip . proto . port → the service port's chain (cluster IPs and external IPs).</summary>
    public const string ServiceIPs = "service-ips";

    /// <summary>proto . port → the external chain of a node port, on any local address.</summary>
    public const string ServiceNodePorts = "service-nodeports";

    /// <summary>Keys of service ports without endpoints, to reject.</summary>
    public const string NoEndpointServiceIPs = "no-endpoint-service-ips";

    /// <summary>Node ports of service ports without endpoints, to reject.</summary>
    public const string NoEndpointNodePorts = "no-endpoint-nodeports";

    /// <summary>ip . port . slot → endpoint ip . port: the endpoints of service ports without affinity.</summary>
    public const string EndpointMap = "endpoints";

    /// <summary>node port . slot → endpoint ip . port.</summary>
    public const string NodePortEndpointMap = "nodeport-endpoints";

    /// <summary>endpoint ip . endpoint ip: what a pod reaching itself through a service looks like after DNAT.</summary>
    public const string HairpinSet = "hairpin";

    /// <summary>Userspace mode: ip . proto . port → the proxy port to redirect to.</summary>
    public const string ProxyPorts = "proxy-ports";

    /// <summary>Userspace mode: proto . node port → the proxy port.</summary>
    public const string ProxyNodePorts = "proxy-nodeports";

    /// <summary>The mark bit that asks nat-postrouting to masquerade (kube-proxy's 0x4000).</summary>
    public const uint MasqueradeMark = 0x4000;

    /// <summary>The stem shared by a port's names: <c>ns/name/port</c>.</summary>
    public static string Stem(ServicePortId id) => $"{id.Namespace}/{id.Name}/{id.Port}";

    public static string ServiceChain(string stem) => "svc-" + stem;

    public static string ExternalChain(string stem) => "ext-" + stem;

    public static string EndpointChain(string stem, IPEndPoint endpoint) => $"ep-{stem}/{Endpoint(endpoint)}";

    public static string AffinitySet(string stem, IPEndPoint endpoint) => $"aff-{stem}/{Endpoint(endpoint)}";

    private static string Endpoint(IPEndPoint endpoint) => endpoint.Address + "/" + endpoint.Port.ToString(CultureInfo.InvariantCulture);
}
