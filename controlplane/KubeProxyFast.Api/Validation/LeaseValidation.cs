using KubeProxyFast.Api.Coordination;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of coordination.k8s.io/v1 Leases, as Kubernetes' <c>ValidateLease</c>.</summary>
public static class LeaseValidation
{
    /// <summary>The one strategy name Kubernetes defines; others must be qualified names (<c>example.com/mine</c>).</summary>
    public const string OldestEmulationVersion = "OldestEmulationVersion";

    /// <summary>Validates a lease: a DNS-subdomain name in a namespace, and its spec.</summary>
    public static IReadOnlyList<FieldError> Validate(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(lease.Metadata, namespaced: true, NameValidation.IsDns1123Subdomain, FieldPath.Root("metadata"), errors);
        if (lease.Spec is { } spec)
        {
            ValidateSpec(spec, FieldPath.Root("spec"), errors);
        }

        return errors;
    }

    private static void ValidateSpec(LeaseSpec spec, FieldPath path, List<FieldError> errors)
    {
        if (spec.LeaseDurationSeconds is <= 0)
        {
            errors.Add(FieldError.Invalid(path.Child("leaseDurationSeconds"), spec.LeaseDurationSeconds.Value, "must be greater than 0"));
        }

        if (spec.LeaseTransitions is < 0)
        {
            errors.Add(FieldError.Invalid(path.Child("leaseTransitions"), spec.LeaseTransitions.Value, "must be greater than or equal to 0"));
        }

        if (spec.Strategy is { } strategy)
        {
            var field = path.Child("strategy");
            if (!strategy.Contains('/', StringComparison.Ordinal))
            {
                if (strategy != OldestEmulationVersion)
                {
                    errors.Add(FieldError.NotSupported(field, strategy, [OldestEmulationVersion]));
                }
            }
            else
            {
                foreach (var message in NameValidation.IsQualifiedName(strategy))
                {
                    errors.Add(FieldError.Invalid(field, strategy, message));
                }
            }
        }

        if (!string.IsNullOrEmpty(spec.PreferredHolder) && string.IsNullOrEmpty(spec.Strategy))
        {
            errors.Add(FieldError.Forbidden(path.Child("preferredHolder"), "may only be specified if `strategy` is defined"));
        }
    }
}
