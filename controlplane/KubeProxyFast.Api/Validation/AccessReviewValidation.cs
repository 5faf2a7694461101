using System.Globalization;
using KubeProxyFast.Api.Authorization;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Validation;

/// <summary>
/// Validation of the access reviews (authorization.k8s.io/v1), as Kubernetes'
/// <c>ValidateSubjectAccessReview</c>, <c>ValidateSelfSubjectAccessReview</c> and
/// <c>ValidateLocalSubjectAccessReview</c>: exactly one of the attribute sets, a user or groups
/// for a SubjectAccessReview, and metadata left empty (a review is never stored, so nothing in it would last).
/// </summary>
public static class AccessReviewValidation
{
    /// <summary>Validates a SubjectAccessReview.</summary>
    public static IReadOnlyList<FieldError> Validate(SubjectAccessReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var errors = new List<FieldError>();
        ValidateSpec(review.Spec, FieldPath.Root("spec"), errors);
        if (!IsEmpty(review.Metadata, exceptNamespace: false))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata"), new GoValue(review.Metadata), "must be empty"));
        }

        return errors;
    }

    /// <summary>Validates a SelfSubjectAccessReview: the attributes only, the user is the requester.</summary>
    public static IReadOnlyList<FieldError> Validate(SelfSubjectAccessReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var errors = new List<FieldError>();
        ValidateAttributes(review.Spec.ResourceAttributes, review.Spec.NonResourceAttributes, FieldPath.Root("spec"), errors);
        if (!IsEmpty(review.Metadata, exceptNamespace: false))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata"), new GoValue(review.Metadata), "must be empty"));
        }

        return errors;
    }

    /// <summary>
    /// Validates a LocalSubjectAccessReview, whose <c>metadata.namespace</c> the server has set
    /// from the path: resource attributes in that namespace, never non-resource ones.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(LocalSubjectAccessReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var errors = new List<FieldError>();
        ValidateSpec(review.Spec, FieldPath.Root("spec"), errors);
        if (!IsEmpty(review.Metadata, exceptNamespace: true))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata"), new GoValue(review.Metadata), "must be empty except for namespace"));
        }

        if (review.Spec.ResourceAttributes is { } attributes && (attributes.Namespace ?? "") != (review.Metadata.Namespace ?? ""))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec").Child("resourceAttributes").Child("namespace"), attributes.Namespace ?? "", "must match metadata.namespace"));
        }

        if (review.Spec.NonResourceAttributes is { } nonResource)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec").Child("nonResourceAttributes"), new GoValue(nonResource), "disallowed on this kind of request"));
        }

        return errors;
    }

    private static void ValidateSpec(SubjectAccessReviewSpec spec, FieldPath path, List<FieldError> errors)
    {
        ValidateAttributes(spec.ResourceAttributes, spec.NonResourceAttributes, path, errors);
        if (string.IsNullOrEmpty(spec.User) && (spec.Groups is null || spec.Groups.Count == 0))
        {
            errors.Add(FieldError.Invalid(path.Child("user"), spec.User ?? "", "at least one of user or group must be specified"));
        }
    }

    private static void ValidateAttributes(ResourceAttributes? resource, NonResourceAttributes? nonResource, FieldPath path, List<FieldError> errors)
    {
        if (resource is not null && nonResource is not null)
        {
            errors.Add(FieldError.Invalid(path.Child("nonResourceAttributes"), new GoValue(nonResource), "cannot be specified in combination with resourceAttributes"));
        }

        if (resource is null && nonResource is null)
        {
            // Kubernetes passes the nil pointer, which its field error prints as the string "null".
            errors.Add(FieldError.Invalid(path.Child("resourceAttributes"), "null", "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
    }

    /// <summary>True when nothing but managed fields (and, for a local review, the namespace) is set.</summary>
    private static bool IsEmpty(ObjectMeta meta, bool exceptNamespace) =>
        string.IsNullOrEmpty(meta.Name) && string.IsNullOrEmpty(meta.GenerateName) && (exceptNamespace || string.IsNullOrEmpty(meta.Namespace))
        && string.IsNullOrEmpty(meta.SelfLink) && string.IsNullOrEmpty(meta.Uid) && string.IsNullOrEmpty(meta.ResourceVersion)
        && meta.Generation is null or 0 && meta.CreationTimestamp is null && meta.DeletionTimestamp is null && meta.DeletionGracePeriodSeconds is null
        && meta.Labels is null or { Count: 0 } && meta.Annotations is null or { Count: 0 } && meta.OwnerReferences is null or { Count: 0 }
        && meta.Finalizers is null or { Count: 0 } && (meta.UnknownFields is null || meta.UnknownFields.Keys.All(k => k == "managedFields"));

    /// <summary>A value printed as the JSON of the object, where Kubernetes prints its Go struct.</summary>
    private sealed record GoValue(object Value)
    {
        public override string ToString() => Value switch
        {
            NonResourceAttributes a => string.Create(CultureInfo.InvariantCulture, $"authorization.NonResourceAttributes{{Path:\"{a.Path}\", Verb:\"{a.Verb}\"}}"),
            ObjectMeta meta => Serialization.KubeJson.Serialize(meta),
            _ => Value.ToString() ?? "",
        };
    }
}
