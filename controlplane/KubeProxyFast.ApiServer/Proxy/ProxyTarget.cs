using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Proxy;

/// <summary>
/// Where a proxy subresource goes: the name segment is <c>name</c>, <c>name:port</c> or
/// <c>scheme:name:port</c> as in Kubernetes; services go to a ready endpoint, pods to their IP,
/// nodes to their kubelet. Every destination passes <see cref="ProxyAddressPolicy"/> first.
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

    /// <summary>A ready endpoint of the service port named or numbered <paramref name="port"/>, among those the policy allows.</summary>
    public static async Task<ProxyDestination> ForServiceAsync(
        ObjectRegistry registry, ProxyAddressPolicy policy, string ns, string name, string port, CancellationToken cancellationToken)
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
        var candidates = new List<ProxyDestination>();
        ProxyDestination? refused = null;
        foreach (var subset in endpoints?.Subsets ?? [])
        {
            var endpointPort = subset.Ports?.Find(p => (p.Name ?? "") == (servicePort.Name ?? ""));
            if (endpointPort is null)
            {
                continue;
            }

            foreach (var address in subset.Addresses ?? [])
            {
                // One endpoint stored before addresses were validated must not take down the rest.
                if (TryParseIP(address.Ip) is not { } ip)
                {
                    continue;
                }

                var destination = new ProxyDestination(ip, endpointPort.Port);
                if (policy.Allows(destination))
                {
                    candidates.Add(destination);
                }
                else
                {
                    refused ??= destination;
                }
            }
        }

        if (candidates.Count > 0)
        {
            return candidates[Random.Shared.Next(candidates.Count)];
        }

        if (refused is { } first)
        {
            policy.Check(first);
        }

        throw StatusErrors.Unavailable($"no endpoints available for service \"{name}\"");
    }

    /// <summary>podIP:port (port 80 when none is given, as Kubernetes).</summary>
    public static async Task<ProxyDestination> ForPodAsync(
        ObjectRegistry registry, ProxyAddressPolicy policy, string ns, string name, string port, CancellationToken cancellationToken)
    {
        var pod = (Pod)await registry.GetAsync(Resources.Pods, ns, name, cancellationToken).ConfigureAwait(false);
        var ip = pod.Status?.PodIP;
        if (string.IsNullOrEmpty(ip))
        {
            throw StatusErrors.BadRequest($"pod {name} does not have an IP address assigned yet");
        }

        var destination = new ProxyDestination(ParseIP(ip), port.Length == 0 ? 80 : Port(port, name));
        policy.Check(destination);
        return destination;
    }

    /// <summary>
    /// The node's kubelet: its InternalIP (else its first address, a name resolved here) and the
    /// kubelet port it reports. Other ports are refused: a node's other ports are its host's
    /// services (kube-apiserver would proxy to them; this apiserver does not).
    /// </summary>
    public static async Task<ProxyDestination> ForNodeAsync(
        ObjectRegistry registry, ProxyAddressPolicy policy, string name, string port, CancellationToken cancellationToken)
    {
        var node = (Node)await registry.GetAsync(Resources.Nodes, null, name, cancellationToken).ConfigureAwait(false);
        var addresses = node.Status?.Addresses ?? [];
        var address = addresses.Find(a => a.Type == NodeAddressTypes.InternalIP) ?? (addresses.Count > 0 ? addresses[0] : null)
            ?? throw StatusErrors.Unavailable($"node \"{name}\" reports no address");
        var kubeletPort = node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port is > 0 and var reported ? reported : DefaultKubeletPort;
        if (port.Length > 0 && Port(port, name) != kubeletPort)
        {
            throw StatusErrors.BadRequest($"port {port} is not allowed: nodes/proxy reaches only the kubelet of node \"{name}\", on port {kubeletPort}");
        }

        return await ResolveAsync(policy, address.Address, kubeletPort, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An IP as it is, a name through DNS. Every address of a name must be allowed (as Kubernetes'
    /// <c>isProxyableHostname</c>), and the connection goes to the address checked, not to the name,
    /// which a second lookup could answer differently.
    /// </summary>
    private static async Task<ProxyDestination> ResolveAsync(ProxyAddressPolicy policy, string host, int port, CancellationToken cancellationToken)
    {
        if (TryParseIP(host) is { } literal)
        {
            var destination = new ProxyDestination(literal, port);
            policy.Check(destination);
            return destination;
        }

        IPAddress[] resolved;
        try
        {
            resolved = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw StatusErrors.Unavailable($"cannot resolve \"{host}\": {e.Message}");
        }

        if (resolved.Length == 0)
        {
            throw StatusErrors.Unavailable($"no addresses for hostname \"{host}\"");
        }

        foreach (var address in resolved)
        {
            policy.Check(new ProxyDestination(address, port), host);
        }

        return new ProxyDestination(resolved[0], port);
    }

    /// <summary>A stored IP; validation keeps garbage out of new objects, but older ones may hold it.</summary>
    private static IPAddress ParseIP(string? ip) =>
        TryParseIP(ip) ?? throw StatusErrors.BadRequest($"address not allowed: \"{ip}\" is not an IP address");

    /// <summary>The address, or null when <paramref name="ip"/> is not one in the plain form validation accepts.</summary>
    private static IPAddress? TryParseIP(string? ip) =>
        ip is not null && NameValidation.IsValidIP(ip).Count == 0 ? IPAddress.Parse(ip) : null;

    private static int Port(string port, string name) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? number
            : throw StatusErrors.BadRequest($"invalid port \"{port}\" in the proxy target of \"{name}\": expected a number from 1 to 65535");
}
