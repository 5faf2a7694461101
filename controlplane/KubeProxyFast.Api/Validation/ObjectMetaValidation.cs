using System.Text;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of <c>metadata</c>, labels and annotations (Kubernetes' ValidateObjectMeta).</summary>
public static class ObjectMetaValidation
{
    /// <summary>Total size allowed for all annotations of an object (256 KiB), as Kubernetes.</summary>
    public const int TotalAnnotationSizeLimitBytes = 256 * 1024;

    /// <summary>
    /// Validates <paramref name="meta"/> of an object whose names follow <paramref name="nameRule"/>.
    /// </summary>
    /// <param name="meta">The metadata.</param>
    /// <param name="namespaced">Whether the kind lives in a namespace.</param>
    /// <param name="nameRule">The syntax rule of names of this kind (e.g. <see cref="NameValidation.IsDns1123Subdomain"/>).</param>
    /// <param name="path">Path of the metadata, normally <c>metadata</c>.</param>
    /// <param name="errors">Where errors are added.</param>
    public static void Validate(
        ObjectMeta meta, bool namespaced, Func<string, IReadOnlyList<string>> nameRule, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(nameRule);
        ArgumentNullException.ThrowIfNull(errors);

        if (!string.IsNullOrEmpty(meta.GenerateName))
        {
            // A generated name appends random characters, so a prefix may end in '-'.
            foreach (var message in nameRule(MaskTrailingDash(meta.GenerateName)))
            {
                errors.Add(FieldError.Invalid(path.Child("generateName"), meta.GenerateName, message));
            }
        }

        if (string.IsNullOrEmpty(meta.Name))
        {
            if (string.IsNullOrEmpty(meta.GenerateName))
            {
                errors.Add(FieldError.Required(path.Child("name"), "name or generateName is required"));
            }
        }
        else
        {
            foreach (var message in nameRule(meta.Name))
            {
                errors.Add(FieldError.Invalid(path.Child("name"), meta.Name, message));
            }
        }

        if (namespaced)
        {
            if (string.IsNullOrEmpty(meta.Namespace))
            {
                errors.Add(FieldError.Required(path.Child("namespace")));
            }
            else
            {
                foreach (var message in NameValidation.IsDns1123Label(meta.Namespace))
                {
                    errors.Add(FieldError.Invalid(path.Child("namespace"), meta.Namespace, message));
                }
            }
        }
        else if (!string.IsNullOrEmpty(meta.Namespace))
        {
            errors.Add(FieldError.Forbidden(path.Child("namespace"), "not allowed on this type"));
        }

        if (meta.Generation < 0)
        {
            errors.Add(FieldError.Invalid(path.Child("generation"), meta.Generation, "must be greater than or equal to 0"));
        }

        if (meta.DeletionGracePeriodSeconds < 0)
        {
            errors.Add(FieldError.Invalid(
                path.Child("deletionGracePeriodSeconds"), meta.DeletionGracePeriodSeconds, "must be greater than or equal to 0"));
        }

        ValidateLabels(meta.Labels, path.Child("labels"), errors);
        ValidateAnnotations(meta.Annotations, path.Child("annotations"), errors);
        ValidateOwnerReferences(meta.OwnerReferences, path.Child("ownerReferences"), errors);
        ValidateFinalizers(meta.Finalizers, path.Child("finalizers"), errors);
    }

    /// <summary>
    /// Finalizer names must be qualified names, and <c>orphan</c> and <c>foregroundDeletion</c>
    /// cannot both be set (Kubernetes' ValidateFinalizers).
    /// </summary>
    public static void ValidateFinalizers(IReadOnlyList<string>? finalizers, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (finalizers is null)
        {
            return;
        }

        foreach (var finalizer in finalizers)
        {
            foreach (var message in NameValidation.IsQualifiedName(finalizer))
            {
                errors.Add(FieldError.Invalid(path, finalizer, message));
            }
        }

        if (finalizers.Contains(GarbageCollectionFinalizers.Orphan) && finalizers.Contains(GarbageCollectionFinalizers.DeleteDependents))
        {
            errors.Add(FieldError.Invalid(path, GoStrings(finalizers),
                $"finalizer {GarbageCollectionFinalizers.Orphan} and {GarbageCollectionFinalizers.DeleteDependents} cannot be both set"));
        }
    }

    /// <summary>
    /// An update of an object being deleted may remove finalizers, never add one (Kubernetes'
    /// ValidateNoNewFinalizers): otherwise a deletion could be held forever by a late writer.
    /// </summary>
    public static void ValidateNoNewFinalizers(
        IReadOnlyList<string>? finalizers, IReadOnlyList<string>? before, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var added = (finalizers ?? []).Except(before ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            errors.Add(FieldError.Forbidden(path,
                "no new finalizers can be added if the object is being deleted, found new finalizers " + GoStrings(added)));
        }
    }

    /// <summary>A string list as Go's <c>%#v</c> prints it, as Kubernetes' messages quote one: <c>[]string{"a", "b"}</c>.</summary>
    private static string GoStrings(IEnumerable<string> values) =>
        "[]string{" + string.Join(", ", values.Select(v => "\"" + v + "\"")) + "}";

    /// <summary>Label keys must be qualified names and values valid label values.</summary>
    public static void ValidateLabels(IReadOnlyDictionary<string, string>? labels, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (labels is null)
        {
            return;
        }

        foreach (var (key, value) in labels)
        {
            foreach (var message in NameValidation.IsQualifiedName(key))
            {
                errors.Add(FieldError.Invalid(path, key, message));
            }

            foreach (var message in NameValidation.IsValidLabelValue(value))
            {
                errors.Add(FieldError.Invalid(path, value, message));
            }
        }
    }

    /// <summary>Annotation keys must be qualified names; all annotations together at most 256 KiB.</summary>
    public static void ValidateAnnotations(IReadOnlyDictionary<string, string>? annotations, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (annotations is null)
        {
            return;
        }

        long total = 0;
        foreach (var (key, value) in annotations)
        {
            foreach (var message in NameValidation.IsQualifiedName(key.ToLowerInvariant()))
            {
                errors.Add(FieldError.Invalid(path, key, message));
            }

            total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        if (total > TotalAnnotationSizeLimitBytes)
        {
            errors.Add(FieldError.TooLong(path, "", TotalAnnotationSizeLimitBytes));
        }
    }

    private static void ValidateOwnerReferences(List<OwnerReference>? owners, FieldPath path, List<FieldError> errors)
    {
        if (owners is null)
        {
            return;
        }

        var controllers = 0;
        for (var i = 0; i < owners.Count; i++)
        {
            var owner = owners[i];
            var at = path.Index(i);
            if (owner.ApiVersion.Length == 0)
            {
                errors.Add(FieldError.Invalid(at.Child("apiVersion"), owner.ApiVersion, "version must not be empty"));
            }

            if (owner.Kind.Length == 0)
            {
                errors.Add(FieldError.Invalid(at.Child("kind"), owner.Kind, "kind must not be empty"));
            }

            if (owner.Name.Length == 0)
            {
                errors.Add(FieldError.Invalid(at.Child("name"), owner.Name, "name must not be empty"));
            }

            if (owner.Uid.Length == 0)
            {
                errors.Add(FieldError.Invalid(at.Child("uid"), owner.Uid, "uid must not be empty"));
            }

            if (owner.Controller == true)
            {
                controllers++;
            }
        }

        if (controllers > 1)
        {
            errors.Add(FieldError.Invalid(path, controllers, "Only one reference can have Controller set to true"));
        }
    }

    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name[^1] == '-' ? name[..^1] + "a" : name;
}
