using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of endpoints.</summary>
public static class EndpointsValidation
{
    /// <summary>Validates an endpoints object.</summary>
    public static IReadOnlyList<FieldError> Validate(Endpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var errors = new List<FieldError>();
        // Endpoints share the service's name, which is a DNS-1035 label and so also a subdomain.
        ObjectMetaValidation.Validate(endpoints.Metadata, namespaced: true, NameValidation.IsDns1123Subdomain, FieldPath.Root("metadata"), errors);
        if (endpoints.Subsets is null)
        {
            return errors;
        }

        for (var i = 0; i < endpoints.Subsets.Count; i++)
        {
            var subset = endpoints.Subsets[i];
            var at = FieldPath.Root("subsets").Index(i);
            if (subset.Addresses is not { Count: > 0 } && subset.NotReadyAddresses is not { Count: > 0 })
            {
                errors.Add(FieldError.Required(at, "must specify `addresses` or `notReadyAddresses`"));
            }

            ValidateAddresses(subset.Addresses, at.Child("addresses"), errors);
            ValidateAddresses(subset.NotReadyAddresses, at.Child("notReadyAddresses"), errors);
            ValidatePorts(subset.Ports, at.Child("ports"), errors);
        }

        return errors;
    }

    private static void ValidateAddresses(List<EndpointAddress>? addresses, FieldPath path, List<FieldError> errors)
    {
        if (addresses is null)
        {
            return;
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            var address = addresses[i];
            var at = path.Index(i);
            // Unlike Kubernetes, loopback addresses are allowed: the standalone proxy balances over
            // local servers (and its tests do). Cluster deployments never produce them.
            PortValidation.IPv4(address.Ip, at.Child("ip"), errors);

            if (!string.IsNullOrEmpty(address.Hostname))
            {
                foreach (var message in NameValidation.IsDns1123Label(address.Hostname))
                {
                    errors.Add(FieldError.Invalid(at.Child("hostname"), address.Hostname, message));
                }
            }

            if (!string.IsNullOrEmpty(address.NodeName))
            {
                foreach (var message in NameValidation.IsDns1123Subdomain(address.NodeName))
                {
                    errors.Add(FieldError.Invalid(at.Child("nodeName"), address.NodeName, message));
                }
            }
        }
    }

    private static void ValidatePorts(List<EndpointPort>? ports, FieldPath path, List<FieldError> errors)
    {
        if (ports is null)
        {
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var at = path.Index(i);
            PortValidation.NameNumberProtocol(port.Name, port.Port, port.Protocol, ports.Count, names, at, errors);
        }
    }
}
