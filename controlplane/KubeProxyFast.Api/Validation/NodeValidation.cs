using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of nodes and namespaces (the cluster-scoped kinds).</summary>
public static class NodeValidation
{
    private static readonly string[] TaintEffects = ["NoExecute", "NoSchedule", "PreferNoSchedule"];

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
