using System.Security.Cryptography;
using System.Text;
using KubeProxyFast.Api.Certificates;

namespace KubeProxyFast.Api.Validation;

/// <summary>
/// Validation of certificates.k8s.io/v1 CertificateSigningRequests, as Kubernetes'
/// <c>ValidateCertificateSigningRequestCreate</c> and its three update forms (the object, <c>/status</c>,
/// <c>/approval</c>), which differ only in what they may change.
/// </summary>
public static class CertificateSigningRequestValidation
{
    private static readonly string[] TrueOnly = ["True"];
    private static readonly string[] AllStatuses = ["False", "True", "Unknown"];
    private static readonly HashSet<string> ValidUsages = new(KeyUsages.All, StringComparer.Ordinal);

    /// <summary>Where an update comes from, which decides what it may change.</summary>
    public enum UpdateKind
    {
        /// <summary>The object itself: neither approval conditions nor the certificate.</summary>
        Main,

        /// <summary><c>/status</c>: the certificate (once) and conditions other than Approved/Denied.</summary>
        Status,

        /// <summary><c>/approval</c>: the Approved and Denied conditions.</summary>
        Approval,
    }

    /// <summary>Validates a new request.</summary>
    public static IReadOnlyList<FieldError> Validate(CertificateSigningRequest csr)
    {
        ArgumentNullException.ThrowIfNull(csr);
        var errors = new List<FieldError>();
        ValidateObject(csr, old: null, errors);
        return errors;
    }

    /// <summary>Validates an update of <paramref name="old"/> to <paramref name="csr"/> made through <paramref name="kind"/>.</summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(CertificateSigningRequest csr, CertificateSigningRequest old, UpdateKind kind)
    {
        ArgumentNullException.ThrowIfNull(csr);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>();
        ValidateObject(csr, old, errors);
        var conditions = FieldPath.Root("status").Child("conditions");
        foreach (var type in new[] { CsrConditionTypes.Approved, CsrConditionTypes.Denied, CsrConditionTypes.Failed })
        {
            if (Find(csr, type).Count < Find(old, type).Count)
            {
                errors.Add(FieldError.Forbidden(conditions, $"updates may not remove a condition of type \"{type}\""));
            }
        }

        if (kind != UpdateKind.Approval)
        {
            foreach (var type in new[] { CsrConditionTypes.Approved, CsrConditionTypes.Denied })
            {
                var before = Find(old, type);
                var after = Find(csr, type);
                if (after.Count > before.Count)
                {
                    errors.Add(FieldError.Forbidden(conditions, $"updates may not add a condition of type \"{type}\""));
                }
                else if (after.Count == before.Count && !after.SequenceEqual(before, ConditionComparer.Instance))
                {
                    errors.Add(FieldError.Forbidden(conditions, $"updates may not modify a condition of type \"{type}\""));
                }
            }
        }

        var certificate = csr.Status?.Certificate ?? [];
        var oldCertificate = old.Status?.Certificate ?? [];
        if (!certificate.AsSpan().SequenceEqual(oldCertificate))
        {
            var field = FieldPath.Root("status").Child("certificate");
            if (kind != UpdateKind.Status)
            {
                errors.Add(FieldError.Forbidden(field, "updates may not set certificate content"));
            }
            else if (oldCertificate.Length > 0)
            {
                errors.Add(FieldError.Forbidden(field, "updates may not modify existing certificate content"));
            }
        }

        // The spec is the server's after create (its strategies copy the old one); say so if a caller bypasses them.
        if (!SameSpec(csr.Spec, old.Spec))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec"), "<spec>", "field is immutable"));
        }

        return errors;
    }

    private static void ValidateObject(CertificateSigningRequest csr, CertificateSigningRequest? old, List<FieldError> errors)
    {
        // Kubernetes does not care what requests are called: any name passes its name rule.
        ObjectMetaValidation.Validate(csr.Metadata, namespaced: false, static _ => [], FieldPath.Root("metadata"), errors);
        var spec = csr.Spec ?? new CertificateSigningRequestSpec();
        var path = FieldPath.Root("spec");
        try
        {
            CertificateRequestPem.Parse(spec.Request ?? []);
        }
        catch (FormatException e)
        {
            errors.Add(FieldError.Invalid(path.Child("request"), "<request data>", e.Message));
        }

        var usages = spec.Usages ?? [];
        if (usages.Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("usages")));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < usages.Count; i++)
        {
            if (!ValidUsages.Contains(usages[i]))
            {
                errors.Add(FieldError.NotSupported(path.Child("usages").Index(i), usages[i], KeyUsages.All));
            }

            if (!seen.Add(usages[i]))
            {
                errors.Add(FieldError.Duplicate(path.Child("usages").Index(i), usages[i]));
            }
        }

        if (spec.SignerName == SignerNames.LegacyUnknown && old?.Spec?.SignerName != SignerNames.LegacyUnknown)
        {
            errors.Add(FieldError.Invalid(path.Child("signerName"), spec.SignerName, "the legacy signerName is not allowed via this API version"));
        }
        else
        {
            SignerNameValidation.Validate(spec.SignerName, path.Child("signerName"), errors);
        }

        if (spec.ExpirationSeconds is < 600)
        {
            errors.Add(FieldError.Invalid(path.Child("expirationSeconds"), spec.ExpirationSeconds.Value, "may not specify a duration less than 600 seconds (10 minutes)"));
        }

        ValidateConditions(csr, FieldPath.Root("status").Child("conditions"), errors);
        var certificate = csr.Status?.Certificate ?? [];
        var unchanged = old is not null && certificate.AsSpan().SequenceEqual(old.Status?.Certificate ?? []);
        if (!unchanged && CertificateError(certificate) is { } error)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("status").Child("certificate"), "<certificate data>", error));
        }
    }

    private static void ValidateConditions(CertificateSigningRequest csr, FieldPath path, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool approved = false, denied = false;
        var conditions = csr.Status?.Conditions ?? [];
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            var at = path.Index(i);
            if (string.IsNullOrEmpty(c.Type))
            {
                errors.Add(FieldError.Required(at.Child("type")));
            }

            var allowed = c.Type is CsrConditionTypes.Approved or CsrConditionTypes.Denied or CsrConditionTypes.Failed ? TrueOnly : AllStatuses;
            if (string.IsNullOrEmpty(c.Status))
            {
                errors.Add(FieldError.Required(at.Child("status")));
            }
            else if (Array.IndexOf(allowed, c.Status) < 0)
            {
                errors.Add(FieldError.NotSupported(at.Child("status"), c.Status, allowed));
            }

            approved |= c.Type == CsrConditionTypes.Approved;
            denied |= c.Type == CsrConditionTypes.Denied;
            if (approved && denied && c.Type is CsrConditionTypes.Approved or CsrConditionTypes.Denied)
            {
                errors.Add(FieldError.Invalid(at.Child("type"), c.Type, "Approved and Denied conditions are mutually exclusive"));
            }

            if (c.Type is { } type && !seen.Add(type))
            {
                errors.Add(FieldError.Duplicate(at.Child("type"), type));
            }
        }
    }

    /// <summary>Why <paramref name="pem"/> is not one or more PEM CERTIFICATE blocks, or null (also for none at all, an unissued request).</summary>
    private static string? CertificateError(byte[] pem)
    {
        if (pem.Length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(pem).AsSpan();
        var blocks = 0;
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (!text[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                return $"only CERTIFICATE PEM blocks are allowed, found \"{text[fields.Label]}\"";
            }

            try
            {
                using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text[fields.Base64Data].ToString()));
            }
            catch (CryptographicException e)
            {
                return e.Message;
            }

            blocks++;
            text = text[fields.Location.End..];
        }

        return blocks == 0 ? "must contain at least one CERTIFICATE PEM block" : null;
    }

    private static List<CertificateSigningRequestCondition> Find(CertificateSigningRequest csr, string type) =>
        csr.Status?.Conditions?.Where(c => c.Type == type).ToList() ?? [];

    private static bool SameSpec(CertificateSigningRequestSpec? a, CertificateSigningRequestSpec? b)
    {
        a ??= new CertificateSigningRequestSpec();
        b ??= new CertificateSigningRequestSpec();
        return (a.Request ?? []).AsSpan().SequenceEqual(b.Request ?? [])
            && a.SignerName == b.SignerName && a.ExpirationSeconds == b.ExpirationSeconds
            && (a.Usages ?? []).SequenceEqual(b.Usages ?? []) && a.Username == b.Username && a.Uid == b.Uid
            && (a.Groups ?? []).SequenceEqual(b.Groups ?? []);
    }

    private sealed class ConditionComparer : IEqualityComparer<CertificateSigningRequestCondition>
    {
        public static readonly ConditionComparer Instance = new();

        public bool Equals(CertificateSigningRequestCondition? x, CertificateSigningRequestCondition? y) =>
            x is not null && y is not null && x.Type == y.Type && x.Status == y.Status && x.Reason == y.Reason && x.Message == y.Message
            && x.LastUpdateTime == y.LastUpdateTime && x.LastTransitionTime == y.LastTransitionTime;

        public int GetHashCode(CertificateSigningRequestCondition obj) => HashCode.Combine(obj.Type, obj.Status);
    }
}
