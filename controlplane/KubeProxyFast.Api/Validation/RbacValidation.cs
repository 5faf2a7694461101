using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of rbac.authorization.k8s.io/v1 objects, as Kubernetes' <c>pkg/apis/rbac/validation</c>.</summary>
public static class RbacValidation
{
    /// <summary>The API group of RBAC: the only one a RoleRef and a User or Group subject may name.</summary>
    public const string GroupName = "rbac.authorization.k8s.io";

    private static readonly string[] Group = [GroupName];
    private static readonly string[] AnyRoleKind = ["Role", "ClusterRole"];
    private static readonly string[] ClusterRoleKind = ["ClusterRole"];
    private static readonly string[] SubjectKinds = ["ServiceAccount", "User", "Group"];
    private static readonly string[] NoGroup = [""];

    /// <summary>A Role: metadata in a namespace, resource rules only.</summary>
    public static IReadOnlyList<FieldError> Validate(Role role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var errors = Metadata(role, namespaced: true);
        Rules(role.Rules, namespaced: true, errors);
        return errors;
    }

    /// <summary>A ClusterRole: resource or non-resource rules, and a well-formed aggregation rule.</summary>
    public static IReadOnlyList<FieldError> Validate(ClusterRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var errors = Metadata(role, namespaced: false);
        Rules(role.Rules, namespaced: false, errors);
        if (role.AggregationRule is { } aggregation && aggregation.ClusterRoleSelectors is null or { Count: 0 })
        {
            errors.Add(FieldError.Required(FieldPath.Root("aggregationRule").Child("clusterRoleSelectors"),
                "at least one clusterRoleSelector required if aggregationRule is non-nil"));
        }

        return errors;
    }

    /// <summary>A RoleBinding: a RoleRef to a Role or ClusterRole, and well-formed subjects.</summary>
    public static IReadOnlyList<FieldError> Validate(RoleBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var errors = Metadata(binding, namespaced: true);
        Binding(binding.RoleRef, AnyRoleKind, binding.Subjects, namespaced: true, errors);
        return errors;
    }

    /// <summary>A ClusterRoleBinding: a RoleRef to a ClusterRole, and subjects (service accounts with their namespace).</summary>
    public static IReadOnlyList<FieldError> Validate(ClusterRoleBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var errors = Metadata(binding, namespaced: false);
        Binding(binding.RoleRef, ClusterRoleKind, binding.Subjects, namespaced: false, errors);
        return errors;
    }

    /// <summary>An update of a binding: the new binding's rules, and a roleRef that has not changed.</summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(KubeObject binding, RoleRef? current, RoleRef? old)
    {
        var errors = new List<FieldError>(ObjectValidation.Validate(binding));
        if (!Same(current, old))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("roleRef"), GoRoleRef(current), "cannot change roleRef"));
        }

        return errors;
    }

    /// <summary>Kubernetes' RBAC names (<c>path.IsValidPathSegmentName</c>): anything but <c>.</c>, <c>..</c> and names with <c>/</c> or <c>%</c>.</summary>
    public static IReadOnlyList<string> IsValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name is "." or "..")
        {
            return [$"may not be '{name}'"];
        }

        List<string> errors = [];
        foreach (var illegal in (string[])["/", "%"])
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                errors.Add($"may not contain '{illegal}'");
            }
        }

        return errors;
    }

    private static List<FieldError> Metadata(KubeObject obj, bool namespaced)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(obj.Metadata, namespaced, IsValidName, FieldPath.Root("metadata"), errors);
        return errors;
    }

    private static void Rules(List<PolicyRule>? rules, bool namespaced, List<FieldError> errors)
    {
        if (rules is null)
        {
            return;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            Rule(rules[i], namespaced, FieldPath.Root("rules").Index(i), errors);
        }
    }

    private static void Rule(PolicyRule rule, bool namespaced, FieldPath path, List<FieldError> errors)
    {
        if (rule.Verbs is null or { Count: 0 })
        {
            errors.Add(FieldError.Required(path.Child("verbs"), "verbs must contain at least one value"));
        }

        if (rule.NonResourceURLs is { Count: > 0 } urls)
        {
            if (namespaced)
            {
                errors.Add(FieldError.Invalid(path.Child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"));
            }

            if (rule.ApiGroups is { Count: > 0 } || rule.Resources is { Count: > 0 } || rule.ResourceNames is { Count: > 0 })
            {
                errors.Add(FieldError.Invalid(path.Child("nonResourceURLs"), urls, "rules cannot apply to both regular resources and non-resource URLs"));
            }

            return;
        }

        if (rule.ApiGroups is null or { Count: 0 })
        {
            errors.Add(FieldError.Required(path.Child("apiGroups"), "resource rules must supply at least one api group"));
        }

        if (rule.Resources is null or { Count: 0 })
        {
            errors.Add(FieldError.Required(path.Child("resources"), "resource rules must supply at least one resource"));
        }
    }

    private static void Binding(RoleRef? roleRef, string[] kinds, List<Subject>? subjects, bool namespaced, List<FieldError> errors)
    {
        var path = FieldPath.Root("roleRef");
        var reference = roleRef ?? new RoleRef();
        if (reference.ApiGroup != GroupName)
        {
            errors.Add(FieldError.NotSupported(path.Child("apiGroup"), reference.ApiGroup, Group));
        }

        if (Array.IndexOf(kinds, reference.Kind) < 0)
        {
            errors.Add(FieldError.NotSupported(path.Child("kind"), reference.Kind, kinds));
        }

        if (reference.Name.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("name")));
        }
        else
        {
            foreach (var message in IsValidName(reference.Name))
            {
                errors.Add(FieldError.Invalid(path.Child("name"), reference.Name, message));
            }
        }

        if (subjects is null)
        {
            return;
        }

        for (var i = 0; i < subjects.Count; i++)
        {
            Subject(subjects[i], namespaced, FieldPath.Root("subjects").Index(i), errors);
        }
    }

    private static void Subject(Subject subject, bool namespaced, FieldPath path, List<FieldError> errors)
    {
        if (subject.Name.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("name")));
        }

        var group = subject.ApiGroup ?? "";
        switch (subject.Kind)
        {
            case "ServiceAccount":
                if (subject.Name.Length > 0)
                {
                    foreach (var message in NameValidation.IsDns1123Subdomain(subject.Name))
                    {
                        errors.Add(FieldError.Invalid(path.Child("name"), subject.Name, message));
                    }
                }

                if (group.Length > 0)
                {
                    errors.Add(FieldError.NotSupported(path.Child("apiGroup"), group, NoGroup));
                }

                if (!namespaced && string.IsNullOrEmpty(subject.Namespace))
                {
                    errors.Add(FieldError.Required(path.Child("namespace")));
                }

                break;
            case "User" or "Group":
                if (group != GroupName)
                {
                    errors.Add(FieldError.NotSupported(path.Child("apiGroup"), group, Group));
                }

                break;
            default:
                errors.Add(FieldError.NotSupported(path.Child("kind"), subject.Kind, SubjectKinds));
                break;
        }
    }

    private static bool Same(RoleRef? a, RoleRef? b) =>
        (a?.ApiGroup ?? "") == (b?.ApiGroup ?? "") && (a?.Kind ?? "") == (b?.Kind ?? "") && (a?.Name ?? "") == (b?.Name ?? "");

    // Go's %#v of the internal rbac.RoleRef, as Kubernetes' message shows it.
    private static GoText GoRoleRef(RoleRef? r) =>
        new($"rbac.RoleRef{{APIGroup:{FieldError.FormatValue(r?.ApiGroup ?? "")}, Kind:{FieldError.FormatValue(r?.Kind ?? "")}, Name:{FieldError.FormatValue(r?.Name ?? "")}}}");

    /// <summary>A value already in Go's <c>%#v</c> form.</summary>
    private sealed record GoText(string Text)
    {
        public override string ToString() => Text;
    }
}
