using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Proxy;

/// <summary>
/// Where a proxy subresource goes: the name segment is <c>name</c>, <c>name:port</c> or
/// <c>scheme:name:port</c> as in Kubernetes; services go to a ready endpoint, pods to their IP,
/// nodes to their kubelet.
/// </summary>
internal static class ProxyTarget
{
    /// <summary>The kubelet's port when the node does not report one.</summary>
    public const int DefaultKubeletPort = 10250;

    /// <summary>Splits the name segment into scheme, name and port (empty when not given).</summary>
    public static (string Scheme, string Name, string Port) Split(string segment)
    {
        var parts = segment.Split(':');
        var (scheme, name, port) = parts.Length switch
        {
            1 => ("", parts[0], ""),
            2 => ("", parts[0], parts[1]),
            3 => (parts[0], parts[1], parts[2]),
            _ => throw StatusErrors.BadRequest($"invalid proxy target \"{segment}\": expected name, name:port or scheme:name:port"),
        };

        if (scheme is not ("" or "http"))
        {
            throw StatusErrors.BadRequest($"proxy scheme \"{scheme}\" is not supported; this apiserver proxies http only");
        }

        return ("http", name, port);
    }

    /// <summary>host:port of a ready endpoint of the service port named or numbered <paramref name="port"/>.</summary>
    public static async Task<string> ForServiceAsync(ObjectRegistry registry, string ns, string name, string port, CancellationToken cancellationToken)
    {
        var service = (Service)await registry.GetAsync(Resources.Services, ns, name, cancellationToken).ConfigureAwait(false);
        var ports = service.Spec?.Ports ?? [];
        var servicePort = port.Length == 0
            ? (ports.Count > 0 ? ports[0] : null)
            : ports.Find(p => p.Name == port || p.Port.ToString(CultureInfo.InvariantCulture) == port);
        if (servicePort is null)
        {
            throw StatusErrors.Unavailable($"no service port \"{port}\" found for service \"{name}\"");
        }

        var endpoints = (Endpoints?)await registry.FindAsync(Resources.Endpoints, ns, name, cancellationToken).ConfigureAwait(false);
        var candidates = new List<string>();
        foreach (var subset in endpoints?.Subsets ?? [])
        {
            var endpointPort = subset.Ports?.Find(p => (p.Name ?? "") == (servicePort.Name ?? ""));
            if (endpointPort is null)
            {
                continue;
            }

            foreach (var address in subset.Addresses ?? [])
            {
                candidates.Add(HostPort(address.Ip, endpointPort.Port));
            }
        }

        return candidates.Count > 0
            ? candidates[Random.Shared.Next(candidates.Count)]
            : throw StatusErrors.Unavailable($"no endpoints available for service \"{name}\"");
    }

    /// <summary>podIP:port (port 80 when none is given, as Kubernetes).</summary>
    public static async Task<string> ForPodAsync(ObjectRegistry registry, string ns, string name, string port, CancellationToken cancellationToken)
    {
        var pod = (Pod)await registry.GetAsync(Resources.Pods, ns, name, cancellationToken).ConfigureAwait(false);
        var ip = pod.Status?.PodIP;
        if (string.IsNullOrEmpty(ip))
        {
            throw StatusErrors.BadRequest($"pod {name} does not have an IP address assigned yet");
        }

        return HostPort(ip, port.Length == 0 ? 80 : Port(port, name));
    }

    /// <summary>The node's internal address and kubelet port.</summary>
    public static async Task<string> ForNodeAsync(ObjectRegistry registry, string name, string port, CancellationToken cancellationToken)
    {
        var node = (Node)await registry.GetAsync(Resources.Nodes, null, name, cancellationToken).ConfigureAwait(false);
        var addresses = node.Status?.Addresses ?? [];
        var address = addresses.Find(a => a.Type == NodeAddressTypes.InternalIP) ?? (addresses.Count > 0 ? addresses[0] : null)
            ?? throw StatusErrors.Unavailable($"node \"{name}\" reports no address");
        var kubeletPort = node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port is > 0 and var reported ? reported : DefaultKubeletPort;
        return HostPort(address.Address, port.Length == 0 ? kubeletPort : Port(port, name));
    }

    private static int Port(string port, string name) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? number
            : throw StatusErrors.BadRequest($"invalid port \"{port}\" in the proxy target of \"{name}\": expected a number from 1 to 65535");

    private static string HostPort(string ip, int port) =>
        (ip.Contains(':', StringComparison.Ordinal) ? "[" + ip + "]" : ip) + ":" + port.ToString(CultureInfo.InvariantCulture);
}
