using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Validation;

/// <summary>Checks shared by container, service and endpoint ports.</summary>
internal static class PortValidation
{
    public static readonly string[] SupportedProtocols = [Protocols.Tcp, Protocols.Udp];

    public static void Number(int port, FieldPath path, List<FieldError> errors)
    {
        foreach (var message in NameValidation.IsValidPortNumber(port))
        {
            errors.Add(FieldError.Invalid(path, port, message));
        }
    }

    public static void Name(string name, FieldPath path, List<FieldError> errors)
    {
        foreach (var message in NameValidation.IsValidPortName(name))
        {
            errors.Add(FieldError.Invalid(path, name, message));
        }
    }

    /// <summary>A protocol, when given, must be supported; absent means TCP (the default).</summary>
    public static void Protocol(string? protocol, FieldPath path, List<FieldError> errors)
    {
        if (protocol is not null && Array.IndexOf(SupportedProtocols, protocol) < 0)
        {
            errors.Add(FieldError.NotSupported(path, protocol, SupportedProtocols));
        }
    }

    /// <summary>A port number (1..65535) or a port name (IANA_SVC_NAME).</summary>
    public static void NumberOrName(IntOrString port, FieldPath path, List<FieldError> errors)
    {
        if (port.IsString)
        {
            Name(port.StringValue, path, errors);
        }
        else
        {
            Number(port.IntValue, path, errors);
        }
    }

    /// <summary>
    /// The checks every port of a multi-port list (service or endpoints) shares: a name is
    /// required once there is more than one port, a DNS-1123 label (Kubernetes' validateServicePort
    /// and validateEndpointPort; kubectl create service names a port <c>80-8080</c>) and unique; the
    /// number and protocol valid.
    /// </summary>
    public static void NameNumberProtocol(
        string? name, int number, string? protocol, int portCount, HashSet<string> names, FieldPath at, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            if (portCount > 1)
            {
                errors.Add(FieldError.Required(at.Child("name")));
            }
        }
        else
        {
            // Service and endpoint port names are DNS labels, as Kubernetes validates them
            // (kubectl create service names a port "80-8080"); container ports use IANA_SVC_NAME.
            foreach (var message in NameValidation.IsDns1123Label(name))
            {
                errors.Add(FieldError.Invalid(at.Child("name"), name, message));
            }

            if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(at.Child("name"), name));
            }
        }

        Number(number, at.Child("port"), errors);
        Protocol(protocol, at.Child("protocol"), errors);
    }

    public static void IPv4(string address, FieldPath path, List<FieldError> errors)
    {
        foreach (var message in NameValidation.IsValidIPv4Address(address))
        {
            errors.Add(FieldError.Invalid(path, address, message));
        }
    }
}
