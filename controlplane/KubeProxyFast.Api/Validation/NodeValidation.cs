using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of nodes and namespaces (the cluster-scoped kinds).</summary>
public static class NodeValidation
{
    private static readonly string[] TaintEffects = ["NoExecute", "NoSchedule", "PreferNoSchedule"];
    private static readonly string[] AddressTypes =
    [
        NodeAddressTypes.ExternalDNS, NodeAddressTypes.ExternalIP, NodeAddressTypes.Hostname, NodeAddressTypes.InternalDNS, NodeAddressTypes.InternalIP,
    ];

    /// <summary>Validates a node.</summary>
    public static IReadOnlyList<FieldError> Validate(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(node.Metadata, namespaced: false, NameValidation.IsDns1123Subdomain, FieldPath.Root("metadata"), errors);
        var spec = FieldPath.Root("spec");
        if (node.Spec is { } s)
        {
            if (!string.IsNullOrEmpty(s.PodCIDR) && !IsIPv4Cidr(s.PodCIDR))
            {
                errors.Add(FieldError.Invalid(spec.Child("podCIDR"), s.PodCIDR, "must be a valid CIDR"));
            }

            for (var i = 0; s.PodCIDRs is not null && i < s.PodCIDRs.Count; i++)
            {
                if (!IsIPv4Cidr(s.PodCIDRs[i]))
                {
                    errors.Add(FieldError.Invalid(spec.Child("podCIDRs").Index(i), s.PodCIDRs[i], "must be a valid CIDR"));
                }
            }

            for (var i = 0; s.Taints is not null && i < s.Taints.Count; i++)
            {
                var taint = s.Taints[i];
                var at = spec.Child("taints").Index(i);
                foreach (var message in NameValidation.IsQualifiedName(taint.Key))
                {
                    errors.Add(FieldError.Invalid(at.Child("key"), taint.Key, message));
                }

                if (Array.IndexOf(TaintEffects, taint.Effect) < 0)
                {
                    errors.Add(FieldError.NotSupported(at.Child("effect"), taint.Effect, TaintEffects));
                }
            }
        }

        if (node.Status is { } status)
        {
            NonNegative(status.Capacity, FieldPath.Root("status").Child("capacity"), errors);
            NonNegative(status.Allocatable, FieldPath.Root("status").Child("allocatable"), errors);
            ValidateAddresses(status.Addresses, FieldPath.Root("status").Child("addresses"), errors);
            if (status.DaemonEndpoints?.KubeletEndpoint is { } kubelet && kubelet.Port != 0)
            {
                PortValidation.Number(kubelet.Port, FieldPath.Root("status").Child("daemonEndpoints").Child("kubeletEndpoint").Child("Port"), errors);
            }
        }

        return errors;
    }

    /// <summary>Validates a namespace: its name is a DNS-1123 label.</summary>
    public static IReadOnlyList<FieldError> Validate(Namespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(ns.Metadata, namespaced: false, NameValidation.IsDns1123Label, FieldPath.Root("metadata"), errors);
        return errors;
    }

    /// <summary>True for an IPv4 CIDR such as <c>198.18.0.0/24</c>.</summary>
    public static bool IsIPv4Cidr(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 &&
               NameValidation.IsValidIPv4Address(value[..slash]).Count == 0 &&
               int.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits) &&
               bits <= 32;
    }

    /// <summary>
    /// Each address has a known type; IP types hold an IP address and name types a DNS subdomain.
    /// Kubernetes itself leaves addresses free-form and checks them when it proxies; here they are
    /// checked when written too, so that a node cannot carry an address the proxy would misread.
    /// </summary>
    private static void ValidateAddresses(List<NodeAddress>? addresses, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; addresses is not null && i < addresses.Count; i++)
        {
            var address = addresses[i];
            var at = path.Index(i);
            var messages = address.Type switch
            {
                NodeAddressTypes.InternalIP or NodeAddressTypes.ExternalIP => NameValidation.IsValidIP(address.Address),
                NodeAddressTypes.Hostname or NodeAddressTypes.InternalDNS or NodeAddressTypes.ExternalDNS => NameValidation.IsDns1123Subdomain(address.Address),
                _ => null,
            };
            if (messages is null)
            {
                errors.Add(FieldError.NotSupported(at.Child("type"), address.Type, AddressTypes));
                continue;
            }

            foreach (var message in messages)
            {
                errors.Add(FieldError.Invalid(at.Child("address"), address.Address, message));
            }
        }
    }

    private static void NonNegative(Dictionary<string, Quantity>? list, FieldPath path, List<FieldError> errors)
    {
        if (list is null)
        {
            return;
        }

        foreach (var (name, quantity) in list)
        {
            if (quantity.Sign < 0)
            {
                errors.Add(FieldError.Invalid(path.Key(name), quantity.ToString(), "must be greater than or equal to 0"));
            }
        }
    }
}
