using System.Globalization;
using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.KubeProxy.Config;

/// <summary>
/// Services and Endpoints (v1 objects) to a <see cref="ProxySnapshot"/>, with kube-proxy's
/// semantics: one service port per <c>spec.ports</c> entry, id <c>ns/name:portName</c>; headless
/// services skipped; endpoints matched to a service port by port name and protocol, ready
/// addresses only; ClientIP affinity with <c>sessionAffinityConfig</c>'s timeout (10800 s by
/// default); node ports for NodePort and LoadBalancer services; external IPs. Pure: the same
/// objects always give the same result.
/// </summary>
/// <remarks>
/// Every object is validated first and every problem is reported, so a file with three mistakes
/// shows three errors at once. Any error rejects the whole set: a bad file never half-applies.
/// </remarks>
public static partial class SnapshotBuilder
{
    /// <summary>Builds the snapshot of <paramref name="objects"/>.</summary>
    /// <param name="objects">Services and Endpoints; other kinds are ignored with a warning.</param>
    /// <param name="standalone">
    /// True when the objects come from a file (<c>kpf proxy --config</c>): no allocator fills in
    /// cluster IPs, so a service without one is an error. False when they come from an apiserver,
    /// where a service without a cluster IP is not allocated yet and is skipped until it is.
    /// </param>
    public static SnapshotBuildResult Build(IEnumerable<KubeObject> objects, bool standalone = true)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var errors = new List<ConfigError>();
        var warnings = new List<ConfigError>();
        var services = new List<Service>();
        var serviceKeys = new HashSet<(string, string)>();
        var endpoints = new Dictionary<(string, string), Endpoints>();
        foreach (var obj in objects)
        {
            ArgumentNullException.ThrowIfNull(obj, nameof(objects));
            var invalid = ObjectValidation.Validate(obj);
            if (invalid.Count > 0)
            {
                errors.Add(Invalid(obj, invalid));
                continue;
            }

            switch (obj)
            {
                case Service service when !serviceKeys.Add(Key(service)):
                case Endpoints byName when endpoints.ContainsKey(Key(byName)):
                    errors.Add(Invalid(obj, [DuplicateName(obj)]));
                    break;
                case Service service:
                    services.Add(service);
                    break;
                case Endpoints e:
                    endpoints.Add(Key(e), e);
                    break;
                default:
                    warnings.Add(new ConfigError(obj,
                        $"{KindOf(obj)} \"{obj.Metadata.Name}\" is ignored: kube-proxy serves Services and their Endpoints only"));
                    break;
            }
        }

        var ports = new List<ServicePortSpec>();
        var listeners = new ListenerIndex();
        // Input order, so that of two services claiming one address the later one is blamed.
        foreach (var service in services)
        {
            AddService(service, endpoints.GetValueOrDefault(Key(service)), standalone, ports, listeners, errors, warnings);
        }

        return errors.Count > 0
            ? new SnapshotBuildResult(null, errors, warnings)
            : new SnapshotBuildResult(new ProxySnapshot(ports), [], warnings);
    }

    private static void AddService(
        Service service, Endpoints? endpoints, bool standalone, List<ServicePortSpec> ports, ListenerIndex listeners,
        List<ConfigError> errors, List<ConfigError> warnings)
    {
        // Validation guarantees a spec, IPv4 addresses that parse, and known protocols.
        var spec = service.Spec!;
        var specPath = FieldPath.Root("spec");
        if (spec.ClusterIP == "None")
        {
            return; // headless: DNS only, nothing to proxy
        }

        if (string.IsNullOrEmpty(spec.ClusterIP))
        {
            if (standalone)
            {
                errors.Add(Invalid(service, [FieldError.Required(specPath.Child("clusterIP"),
                    "the standalone proxy listens on the cluster IP, and without an apiserver nothing allocates one")]));
            }

            return; // from an apiserver: not allocated yet, the update that allocates it brings it in
        }

        var clusterIP = IPAddress.Parse(spec.ClusterIP);
        var externalIPs = (spec.ExternalIPs ?? []).Select(IPAddress.Parse).Distinct().ToArray();
        var affinity = spec.SessionAffinity == SessionAffinities.ClientIP
            ? SessionAffinity.ForClientIP(TimeSpan.FromSeconds(
                spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? SessionAffinities.DefaultTimeoutSeconds))
            : SessionAffinity.None;
        var type = spec.Type ?? ServiceTypes.ClusterIP;
        var hasNodePorts = type is ServiceTypes.NodePort or ServiceTypes.LoadBalancer;
        var servicePorts = spec.Ports ?? [];
        for (var i = 0; i < servicePorts.Count; i++)
        {
            var port = servicePorts[i];
            var portPath = specPath.Child("ports").Index(i);
            var protocolName = port.Protocol ?? Protocols.Tcp;
            int? nodePort = hasNodePorts && port.NodePort is > 0 ? port.NodePort : null;
            var id = new ServicePortId(service.Metadata.Namespace!, service.Metadata.Name!, port.Name ?? "");
            if (hasNodePorts && nodePort is null)
            {
                warnings.Add(new ConfigError(service, string.Create(CultureInfo.InvariantCulture,
                    $"{id}: {type} service without {portPath.Child("nodePort")}: no node port is opened (the proxy allocates none)")));
            }

            var portSpec = new ServicePortSpec
            {
                Id = id,
                Protocol = protocolName == Protocols.Udp ? L4Protocol.Udp : L4Protocol.Tcp,
                ClusterIP = clusterIP,
                Port = port.Port,
                NodePort = nodePort,
                ExternalIPs = [.. externalIPs],
                Affinity = affinity,
                Endpoints = EndpointsOf(endpoints, port.Name ?? "", protocolName),
            };
            var conflicts = listeners.Claim(portSpec, portPath, specPath.Child("externalIPs"), spec.ExternalIPs);
            if (conflicts.Count > 0)
            {
                errors.Add(Invalid(service, conflicts));
            }

            ports.Add(portSpec);
        }
    }

    private static (string, string) Key(KubeObject obj) => (obj.Metadata.Namespace ?? "", obj.Metadata.Name ?? "");

    private static string KindOf(KubeObject obj) => KubeKinds.Find(obj.GetType())?.Kind ?? obj.GetType().Name;

    private static ConfigError Invalid(KubeObject obj, IReadOnlyList<FieldError> errors) =>
        new(obj, ObjectValidation.ToStatus(KindOf(obj), obj.Metadata.Name, errors).Message ?? "");

    private static FieldError DuplicateName(KubeObject obj) =>
        new(FieldErrorType.Duplicate, "metadata.name", obj.Metadata.Name,
            $"another {KindOf(obj)} in namespace \"{obj.Metadata.Namespace}\" has this name");
}
