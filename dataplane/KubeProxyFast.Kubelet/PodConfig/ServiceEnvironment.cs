using System.Globalization;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// The service-link environment variables (Docker links' shape) a pod's containers get, as the
/// kubelet's <c>getServiceEnvVarMap</c> and <c>envvars.FromServices</c> make them: for a Service
/// <c>redis-master</c> on TCP 6379 at 10.0.0.11, <c>REDIS_MASTER_SERVICE_HOST=10.0.0.11</c>,
/// <c>REDIS_MASTER_SERVICE_PORT=6379</c>, <c>REDIS_MASTER_PORT=tcp://10.0.0.11:6379</c>,
/// <c>REDIS_MASTER_PORT_6379_TCP=tcp://10.0.0.11:6379</c> and its <c>_PROTO</c>, <c>_PORT</c>,
/// <c>_ADDR</c>.
/// </summary>
public static class ServiceEnvironment
{
    /// <summary>Kubernetes' master service namespace: its <c>kubernetes</c> Service reaches every pod.</summary>
    public const string MasterServiceNamespace = "default";

    /// <summary>The master service whose variables every pod gets, even with <c>enableServiceLinks: false</c>.</summary>
    public const string MasterServiceName = "kubernetes";

    /// <summary>
    /// The variables for a pod of <paramref name="podNamespace"/>: the <c>kubernetes</c> Service of
    /// <c>default</c> always, and with <paramref name="enableServiceLinks"/> every Service of the
    /// pod's namespace (which wins over <c>kubernetes</c> of default on a name clash). Services
    /// without a ClusterIP (headless, ExternalName) give none. Services in name order, each's
    /// variables in Kubernetes' order.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(string podNamespace, bool enableServiceLinks, IEnumerable<Service> services)
    {
        ArgumentNullException.ThrowIfNull(podNamespace);
        ArgumentNullException.ThrowIfNull(services);
        var chosen = new SortedDictionary<string, Service>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (!HasClusterIP(service) || service.Metadata.Name is not { } name)
            {
                continue;
            }

            if (service.Metadata.Namespace == MasterServiceNamespace && name == MasterServiceName)
            {
                // The master service only fills a gap: a pod-namespace Service of the same name wins.
                chosen.TryAdd(name, service);
            }
            else if (service.Metadata.Namespace == podNamespace && enableServiceLinks)
            {
                chosen[name] = service;
            }
        }

        var variables = new List<KeyValuePair<string, string>>();
        foreach (var service in chosen.Values)
        {
            AddVariables(service, variables);
        }

        return variables;
    }

    /// <summary>Kubernetes' <c>IsServiceIPSet</c>: a ClusterIP that is neither empty nor <c>None</c>; ExternalName Services have none.</summary>
    private static bool HasClusterIP(Service service) =>
        service.Spec is { ClusterIP: { Length: > 0 } ip, Ports.Count: > 0 } spec && ip != "None" && spec.Type != ServiceTypes.ExternalName;

    private static void AddVariables(Service service, List<KeyValuePair<string, string>> variables)
    {
        var spec = service.Spec!;
        var ip = spec.ClusterIP!;
        var ports = spec.Ports!;
        var prefix = VariableName(service.Metadata.Name!);
        variables.Add(new(prefix + "_SERVICE_HOST", ip));

        // The first port keeps the unnamed, backwards-compatible name; every named port has its own.
        var servicePort = prefix + "_SERVICE_PORT";
        variables.Add(new(servicePort, Number(ports[0].Port)));
        foreach (var port in ports)
        {
            if (!string.IsNullOrEmpty(port.Name))
            {
                variables.Add(new(servicePort + "_" + VariableName(port.Name), Number(port.Port)));
            }
        }

        // Docker links' variables, for every port; Docker special-cases the first as <PREFIX>_PORT.
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var protocol = string.IsNullOrEmpty(port.Protocol) ? Protocols.Tcp : port.Protocol;
            var lower = protocol.ToLowerInvariant();
            var url = lower + "://" + HostPort(ip, port.Port);
            if (i == 0)
            {
                variables.Add(new(prefix + "_PORT", url));
            }

            var portPrefix = prefix + "_PORT_" + Number(port.Port) + "_" + protocol.ToUpperInvariant();
            variables.Add(new(portPrefix, url));
            variables.Add(new(portPrefix + "_PROTO", lower));
            variables.Add(new(portPrefix + "_PORT", Number(port.Port)));
            variables.Add(new(portPrefix + "_ADDR", ip));
        }
    }

    /// <summary>Kubernetes' <c>makeEnvVariableName</c>: upper case, '-' → '_'.</summary>
    public static string VariableName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace('-', '_').ToUpperInvariant();
    }

    // Go's net.JoinHostPort: an IPv6 address in brackets.
    private static string HostPort(string ip, int port) =>
        (ip.Contains(':', StringComparison.Ordinal) ? "[" + ip + "]" : ip) + ":" + Number(port);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
