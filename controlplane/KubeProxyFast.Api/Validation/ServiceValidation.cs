using System.Globalization;
using System.Net;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of services (Kubernetes' ValidateService, for the types this project serves).</summary>
public static class ServiceValidation
{
    private static readonly string[] TypeValues = [ServiceTypes.ClusterIP, ServiceTypes.NodePort, ServiceTypes.LoadBalancer];
    private static readonly string[] AffinityValues = [SessionAffinities.None, SessionAffinities.ClientIP];

    /// <summary>Validates a service.</summary>
    public static IReadOnlyList<FieldError> Validate(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var errors = new List<FieldError>();
        // Service names become DNS labels (<name>.<ns>.svc), so they follow RFC 1035.
        ObjectMetaValidation.Validate(service.Metadata, namespaced: true, NameValidation.IsDns1035Label, FieldPath.Root("metadata"), errors);
        var spec = FieldPath.Root("spec");
        if (service.Spec is null)
        {
            errors.Add(FieldError.Required(spec));
            return errors;
        }

        var s = service.Spec;
        var type = s.Type ?? ServiceTypes.ClusterIP;
        if (Array.IndexOf(TypeValues, type) < 0)
        {
            errors.Add(FieldError.NotSupported(spec.Child("type"), type, TypeValues));
        }

        var headless = s.ClusterIP == "None";
        ValidateClusterIP(s, type, headless, spec, errors);
        ValidatePorts(s, type, headless, spec.Child("ports"), errors);
        ObjectMetaValidation.ValidateLabels(s.Selector, spec.Child("selector"), errors);
        ValidateExternalIPs(s.ExternalIPs, spec.Child("externalIPs"), errors);
        ValidateAffinity(s, spec, errors);
        if (!string.IsNullOrEmpty(s.LoadBalancerIP))
        {
            PortValidation.IPv4(s.LoadBalancerIP, spec.Child("loadBalancerIP"), errors);
        }

        if (s.ExternalTrafficPolicy is { } policy && policy is not ("Cluster" or "Local"))
        {
            errors.Add(FieldError.NotSupported(spec.Child("externalTrafficPolicy"), policy, ["Cluster", "Local"]));
        }

        return errors;
    }

    private static void ValidateClusterIP(ServiceSpec s, string type, bool headless, FieldPath spec, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(s.ClusterIP) || headless)
        {
            if (headless && type != ServiceTypes.ClusterIP)
            {
                errors.Add(FieldError.Invalid(spec.Child("clusterIP"), s.ClusterIP, $"may not be set to 'None' for {type} services"));
            }

            return;
        }

        if (NameValidation.IsValidIPv4Address(s.ClusterIP).Count > 0)
        {
            errors.Add(FieldError.Invalid(spec.Child("clusterIP"), s.ClusterIP, "must be empty, 'None', or a valid IP address"));
        }
    }

    private static void ValidatePorts(ServiceSpec s, string type, bool headless, FieldPath path, List<FieldError> errors)
    {
        if (s.Ports is not { Count: > 0 } ports)
        {
            // Headless services without a selector may have no ports (DNS-only); all others need one.
            if (!headless)
            {
                errors.Add(FieldError.Required(path));
            }

            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<(int, string)>();
        var nodePorts = new HashSet<(int, string)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var at = path.Index(i);
            PortValidation.NameNumberProtocol(port.Name, port.Port, port.Protocol, ports.Count, names, at, errors);
            var protocol = port.Protocol ?? Protocols.Tcp;
            if (!seen.Add((port.Port, protocol)))
            {
                errors.Add(FieldError.Duplicate(at, string.Create(CultureInfo.InvariantCulture, $"{port.Port}/{protocol}")));
            }

            if (port.TargetPort is { } target)
            {
                if (target.IsString || target.IntValue != 0)
                {
                    PortValidation.NumberOrName(target, at.Child("targetPort"), errors);
                }
            }

            if (port.NodePort is { } nodePort and not 0)
            {
                if (type == ServiceTypes.ClusterIP)
                {
                    errors.Add(FieldError.Forbidden(at.Child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
                }
                else
                {
                    PortValidation.Number(nodePort, at.Child("nodePort"), errors);
                    if (!nodePorts.Add((nodePort, protocol)))
                    {
                        errors.Add(FieldError.Duplicate(at.Child("nodePort"), nodePort));
                    }
                }
            }
        }
    }

    private static void ValidateExternalIPs(List<string>? externalIPs, FieldPath path, List<FieldError> errors)
    {
        if (externalIPs is null)
        {
            return;
        }

        for (var i = 0; i < externalIPs.Count; i++)
        {
            var ip = externalIPs[i];
            var at = path.Index(i);
            if (NameValidation.IsValidIPv4Address(ip).Count > 0 || !IPAddress.TryParse(ip, out var address))
            {
                errors.Add(FieldError.Invalid(at, ip, "must be a valid IP address"));
                continue;
            }

            // Traffic to these could never be told apart from the node's own (Kubernetes' ValidateNonSpecialIP).
            var b = address.GetAddressBytes();
            var problem = b[0] switch
            {
                0 when b[1] == 0 && b[2] == 0 && b[3] == 0 => "may not be unspecified (0.0.0.0)",
                127 => "may not be in the loopback range (127.0.0.0/8)",
                169 when b[1] == 254 => "may not be in the link-local range (169.254.0.0/16)",
                >= 224 and <= 239 => "may not be in the multicast range (224.0.0.0/4)",
                _ => null,
            };
            if (problem is not null)
            {
                errors.Add(FieldError.Invalid(at, ip, problem));
            }
        }
    }

    private static void ValidateAffinity(ServiceSpec s, FieldPath spec, List<FieldError> errors)
    {
        var affinity = s.SessionAffinity ?? SessionAffinities.None;
        if (Array.IndexOf(AffinityValues, affinity) < 0)
        {
            errors.Add(FieldError.NotSupported(spec.Child("sessionAffinity"), affinity, AffinityValues));
            return;
        }

        var config = spec.Child("sessionAffinityConfig");
        if (affinity == SessionAffinities.None)
        {
            if (s.SessionAffinityConfig?.ClientIP is not null)
            {
                errors.Add(FieldError.Invalid(config, "ClientIP",
                    "must not be set when session affinity is None"));
            }

            return;
        }

        if (s.SessionAffinityConfig?.ClientIP?.TimeoutSeconds is { } timeout &&
            timeout is <= 0 or > SessionAffinities.MaxTimeoutSeconds)
        {
            errors.Add(FieldError.Invalid(config.Child("clientIP").Child("timeoutSeconds"), timeout,
                string.Create(CultureInfo.InvariantCulture,
                    $"must be greater than 0 and less than or equal to {SessionAffinities.MaxTimeoutSeconds}")));
        }
    }
}
