using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

public static partial class IptablesRestoreRenderer
{
    // The longest comment suffix we write; the whole comment must fit xt_comment's 255 bytes.
    private const string NoEndpointsSuffix = " has no endpoints";

    /// <summary>How much a snapshot renders: proxied ports, their endpoints, and the hashed chains (a KUBE-SVC per port with endpoints, a KUBE-SEP per endpoint).</summary>
    private readonly record struct RenderSize(int Ports, int Endpoints, int HashedChains);

    /// <summary>
    /// Refuses, before anything is written, what would make iptables-restore fail halfway or
    /// say something else than the snapshot: IPv6 addresses (this is the IPv4 ruleset), ids that
    /// would break out of a quoted comment (a newline would start a rule of its own), and ClientIP
    /// affinity without a timeout (xt_recent takes <c>--seconds 0</c> as "forever").
    /// </summary>
    private static RenderSize Check(ProxySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        int ports = 0, endpoints = 0, hashed = 0;
        foreach (var port in snapshot.Ports)
        {
            if (IsHeadless(port))
            {
                continue;
            }

            CheckId(port.Id);
            CheckIPv4(port, port.ClusterIP, "cluster IP");
            foreach (var external in port.ExternalIPs)
            {
                CheckIPv4(port, external, "external IP");
            }

            foreach (var endpoint in port.Endpoints)
            {
                CheckIPv4(port, endpoint.Address, "endpoint");
            }

            if (port.Affinity.ClientIP && port.Affinity.Timeout < TimeSpan.FromSeconds(1))
            {
                Throw(port.Id, $"ClientIP affinity timeout {port.Affinity.Timeout} is under one second");
            }

            ports++;
            endpoints += port.Endpoints.Length;
            hashed += port.Endpoints.IsEmpty ? 0 : 1 + port.Endpoints.Length;
        }

        return new RenderSize(ports, endpoints, hashed);
    }

    private static void CheckIPv4(ServicePortSpec port, IPAddress address, string what)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            Throw(port.Id, $"{what} {address} is not IPv4; the iptables renderer writes IPv4 rules only (ip6tables is not rendered)");
        }
    }

    private static void CheckId(ServicePortId id)
    {
        var length = id.Namespace.Length + id.Name.Length + id.Port.Length + 2;
        if (length + NoEndpointsSuffix.Length > KubeChains.MaxCommentLength)
        {
            Throw(id, $"the id is {length} characters; iptables comments hold {KubeChains.MaxCommentLength - NoEndpointsSuffix.Length} with our suffixes");
        }

        CheckIdPart(id, id.Namespace);
        CheckIdPart(id, id.Name);
        CheckIdPart(id, id.Port);
    }

    private static void CheckIdPart(ServicePortId id, string part)
    {
        foreach (var c in part)
        {
            // Printable ASCII without space, quote and backslash: Kubernetes names are far
            // narrower, and nothing in this set needs escaping inside iptables-restore's quotes.
            if (c is <= ' ' or > '~' or '"' or '\\')
            {
                Throw(id, $"the id holds U+{(int)c:X4}, which cannot go into an iptables comment");
            }
        }
    }

    /// <summary>Throws naming the service port; <paramref name="paramName"/> is the public methods' parameter.</summary>
    [DoesNotReturn]
    private static void Throw(ServicePortId id, string problem, string paramName = "snapshot") =>
        throw new ArgumentException($"service port {id}: {problem}", paramName);
}
