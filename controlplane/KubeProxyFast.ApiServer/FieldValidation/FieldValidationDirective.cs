using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Errors;

namespace KubeProxyFast.ApiServer.FieldValidation;

/// <summary>
/// The <c>fieldValidation</c> query parameter of create, update and patch: what to do with fields
/// the model does not know and fields given twice.
/// </summary>
internal enum FieldValidationDirective
{
    /// <summary>Drop unknown fields, keep the last of duplicates, say nothing.</summary>
    Ignore,

    /// <summary>As Ignore, with one <c>Warning</c> header per field (Kubernetes' default when the parameter is absent).</summary>
    Warn,

    /// <summary>Refuse the request, naming every offending field.</summary>
    Strict,
}

/// <summary>Parsing of the <c>fieldValidation</c> parameter.</summary>
internal static class FieldValidationDirectives
{
    private static readonly string[] Supported = ["", "Ignore", "Strict", "Warn"];

    /// <summary>
    /// The directive of <paramref name="value"/>: absent or empty is Warn, as kube-apiserver's
    /// default for every verb; the names are case-sensitive. Anything else is apimachinery's 422 on
    /// the verb's options (<c>CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: …</c>).
    /// </summary>
    /// <param name="value">The parameter's value, or null.</param>
    /// <param name="optionsKind"><c>CreateOptions</c>, <c>UpdateOptions</c> or <c>PatchOptions</c>.</param>
    public static FieldValidationDirective Parse(string? value, string optionsKind) => value switch
    {
        null or "" or "Warn" => FieldValidationDirective.Warn,
        "Ignore" => FieldValidationDirective.Ignore,
        "Strict" => FieldValidationDirective.Strict,
        _ => throw StatusErrors.Invalid(ObjectValidation.ToStatus(optionsKind, "",
            [FieldError.NotSupported(FieldPath.Root("fieldValidation"), value, Supported)], "meta.k8s.io")),
    };
}
