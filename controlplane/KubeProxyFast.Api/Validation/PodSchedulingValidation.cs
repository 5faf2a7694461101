using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Api.Validation;

/// <summary>Kubernetes' validation of a pod's scheduling constraints: tolerations and node affinity, in its words.</summary>
public static class PodSchedulingValidation
{
    private static readonly string[] OperatorValues = [TolerationOperators.Equal, TolerationOperators.Exists];
    private static readonly string[] EffectValues = [TaintEffects.NoSchedule, TaintEffects.PreferNoSchedule, TaintEffects.NoExecute];

    /// <summary>Kubernetes' <c>ValidateTolerations</c>.</summary>
    public static void ValidateTolerations(List<Toleration>? tolerations, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        for (var i = 0; tolerations is not null && i < tolerations.Count; i++)
        {
            var toleration = tolerations[i];
            var at = path.Index(i);
            var key = toleration.Key ?? "";
            if (key.Length != 0)
            {
                foreach (var message in NameValidation.IsQualifiedName(key))
                {
                    errors.Add(FieldError.Invalid(at.Child("key"), key, message));
                }
            }
            else if (toleration.Operator != TolerationOperators.Exists)
            {
                errors.Add(FieldError.Invalid(at.Child("operator"), toleration.Operator ?? "",
                    "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }

            if (toleration.TolerationSeconds is not null && toleration.Effect != TaintEffects.NoExecute)
            {
                errors.Add(FieldError.Invalid(at.Child("effect"), toleration.Effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }

            var value = toleration.Value ?? "";
            switch (toleration.Operator ?? "")
            {
                case "" or TolerationOperators.Equal:
                    var messages = NameValidation.IsValidLabelValue(value);
                    if (messages.Count > 0)
                    {
                        errors.Add(FieldError.Invalid(at.Child("operator"), value, string.Join(";", messages)));
                    }

                    break;
                case TolerationOperators.Exists:
                    if (value.Length != 0)
                    {
                        errors.Add(FieldError.Invalid(at.Child("operator"), value, "value must be empty when `operator` is 'Exists'"));
                    }

                    break;
                default:
                    errors.Add(FieldError.NotSupported(at.Child("operator"), toleration.Operator, OperatorValues));
                    break;
            }

            if (!string.IsNullOrEmpty(toleration.Effect) && Array.IndexOf(EffectValues, toleration.Effect) < 0)
            {
                errors.Add(FieldError.NotSupported(at.Child("effect"), toleration.Effect, EffectValues));
            }
        }
    }

    /// <summary>Kubernetes' <c>validateAffinity</c> for node affinity (pod affinity is not modelled).</summary>
    public static void ValidateAffinity(Affinity? affinity, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (affinity?.NodeAffinity is not { } nodeAffinity)
        {
            return;
        }

        var at = path.Child("nodeAffinity");
        if (nodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
        {
            var terms = at.Child("requiredDuringSchedulingIgnoredDuringExecution").Child("nodeSelectorTerms");
            if (required.NodeSelectorTerms is not { Count: > 0 })
            {
                errors.Add(FieldError.Required(terms, "must have at least one node selector term"));
            }

            for (var i = 0; required.NodeSelectorTerms is not null && i < required.NodeSelectorTerms.Count; i++)
            {
                ValidateTerm(required.NodeSelectorTerms[i], terms.Index(i), errors);
            }
        }

        var preferred = nodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution;
        for (var i = 0; preferred is not null && i < preferred.Count; i++)
        {
            var term = at.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i);
            if (preferred[i].Weight is <= 0 or > 100)
            {
                errors.Add(FieldError.Invalid(term.Child("weight"), preferred[i].Weight, "must be in the range 1-100"));
            }

            ValidateTerm(preferred[i].Preference, term.Child("preference"), errors);
        }
    }

    private static void ValidateTerm(NodeSelectorTerm term, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; term.MatchExpressions is not null && i < term.MatchExpressions.Count; i++)
        {
            ValidateLabelRequirement(term.MatchExpressions[i], path.Child("matchExpressions").Index(i), errors);
        }

        for (var i = 0; term.MatchFields is not null && i < term.MatchFields.Count; i++)
        {
            ValidateFieldRequirement(term.MatchFields[i], path.Child("matchFields").Index(i), errors);
        }
    }

    private static void ValidateLabelRequirement(NodeSelectorRequirement requirement, FieldPath path, List<FieldError> errors)
    {
        var count = requirement.Values?.Count ?? 0;
        switch (requirement.Operator)
        {
            case NodeSelectorOperators.In or NodeSelectorOperators.NotIn:
                if (count == 0)
                {
                    errors.Add(FieldError.Required(path.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                }

                break;
            case NodeSelectorOperators.Exists or NodeSelectorOperators.DoesNotExist:
                if (count > 0)
                {
                    errors.Add(FieldError.Forbidden(path.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }

                break;
            case NodeSelectorOperators.Gt or NodeSelectorOperators.Lt:
                if (count != 1)
                {
                    errors.Add(FieldError.Required(path.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                }

                break;
            default:
                errors.Add(FieldError.Invalid(path.Child("operator"), requirement.Operator, "not a valid selector operator"));
                break;
        }

        foreach (var message in NameValidation.IsQualifiedName(requirement.Key))
        {
            errors.Add(FieldError.Invalid(path.Child("key"), requirement.Key, message));
        }
    }

    private static void ValidateFieldRequirement(NodeSelectorRequirement requirement, FieldPath path, List<FieldError> errors)
    {
        switch (requirement.Operator)
        {
            case NodeSelectorOperators.In or NodeSelectorOperators.NotIn:
                if (requirement.Values?.Count != 1)
                {
                    errors.Add(FieldError.Required(path.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
                }

                break;
            default:
                errors.Add(FieldError.Invalid(path.Child("operator"), requirement.Operator, "not a valid selector operator"));
                break;
        }

        if (requirement.Key != "metadata.name")
        {
            errors.Add(FieldError.Invalid(path.Child("key"), requirement.Key, "not a valid field selector key"));
        }
    }
}
