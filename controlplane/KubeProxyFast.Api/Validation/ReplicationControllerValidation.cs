using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Labels;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of replication controllers.</summary>
public static class ReplicationControllerValidation
{
    /// <summary>Validates a replication controller.</summary>
    public static IReadOnlyList<FieldError> Validate(ReplicationController rc)
    {
        ArgumentNullException.ThrowIfNull(rc);
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(rc.Metadata, namespaced: true, NameValidation.IsDns1123Subdomain, FieldPath.Root("metadata"), errors);
        var spec = FieldPath.Root("spec");
        if (rc.Spec is null)
        {
            errors.Add(FieldError.Required(spec));
            return errors;
        }

        var s = rc.Spec;
        if (s.Replicas < 0)
        {
            errors.Add(FieldError.Invalid(spec.Child("replicas"), s.Replicas, "must be greater than or equal to 0"));
        }

        if (s.MinReadySeconds < 0)
        {
            errors.Add(FieldError.Invalid(spec.Child("minReadySeconds"), s.MinReadySeconds, "must be greater than or equal to 0"));
        }

        var selectorValid = false;
        if (s.Selector is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(spec.Child("selector")));
        }
        else
        {
            var before = errors.Count;
            ObjectMetaValidation.ValidateLabels(s.Selector, spec.Child("selector"), errors);
            selectorValid = errors.Count == before;
        }

        var template = spec.Child("template");
        if (s.Template is null)
        {
            errors.Add(FieldError.Required(template));
            return errors;
        }

        var labels = s.Template.Metadata?.Labels;
        ObjectMetaValidation.ValidateLabels(labels, template.Child("metadata").Child("labels"), errors);
        // Only a valid selector can be built: Selector.FromSet throws on an invalid value (a 500).
        if (selectorValid && !Selector.FromSet(s.Selector!).Matches(labels))
        {
            errors.Add(FieldError.Invalid(template.Child("metadata").Child("labels"),
                (IReadOnlyDictionary<string, string>?)labels ?? new Dictionary<string, string>(),
                "`selector` does not match template `labels`"));
        }

        if (s.Template.Spec is null)
        {
            errors.Add(FieldError.Required(template.Child("spec")));
            return errors;
        }

        PodValidation.ValidateSpec(s.Template.Spec, template.Child("spec"), errors);
        // An RC replaces pods that exit, so its pods must always be restarted.
        if (s.Template.Spec.RestartPolicy is { } policy && policy != RestartPolicies.Always)
        {
            errors.Add(FieldError.NotSupported(template.Child("spec").Child("restartPolicy"), policy, [RestartPolicies.Always]));
        }

        return errors;
    }
}
