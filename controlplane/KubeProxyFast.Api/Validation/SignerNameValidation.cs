namespace KubeProxyFast.Api.Validation;

/// <summary>Kubernetes' <c>ValidateSignerName</c>: a fully qualified domain, a slash, and a path (<c>example.com/signer-name</c>).</summary>
public static class SignerNameValidation
{
    private const int MaxDomainLength = 253;

    // Kubernetes allows the path a subdomain's length plus a label's and the slash between.
    private const int MaxPathLength = 253 + 63 + 1;

    /// <summary>Adds the errors of <paramref name="signerName"/> at <paramref name="path"/>.</summary>
    public static void Validate(string? signerName, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(signerName))
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        var segments = signerName.Split('/', 2);
        if (segments.Length != 2)
        {
            errors.Add(FieldError.Invalid(path, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
        }

        var domain = segments[0];
        if (domain.Length > MaxDomainLength)
        {
            errors.Add(FieldError.TooLong(path, domain, MaxDomainLength));
        }

        var labels = domain.Split('.');
        foreach (var label in labels)
        {
            var problems = NameValidation.IsDns1123Label(label);
            if (problems.Count > 0)
            {
                // As Kubernetes: the first bad label only, further ones would repeat the message.
                errors.AddRange(problems.Select(p => FieldError.Invalid(path, domain, $"validating label \"{label}\": {p}")));
                break;
            }
        }

        if (labels.Length < 2)
        {
            errors.Add(FieldError.Invalid(path, domain, "should be a domain with at least two segments separated by dots"));
        }

        if (segments.Length == 2)
        {
            var rest = segments[1];
            if (rest.Length > MaxPathLength)
            {
                errors.Add(FieldError.TooLong(path, rest, MaxPathLength));
            }

            foreach (var part in rest.Split('/'))
            {
                errors.AddRange(NameValidation.IsQualifiedName(part).Select(p => FieldError.Invalid(path, rest, $"validating path segment \"{part}\": {p}")));
            }
        }
    }
}
