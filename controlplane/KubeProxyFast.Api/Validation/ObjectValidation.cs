using System.Globalization;
using KubeProxyFast.Api.Authorization;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of any API object, and the 422 Status that reports it.</summary>
public static class ObjectValidation
{
    /// <summary>Validates <paramref name="obj"/> with the rules of its kind.</summary>
    public static IReadOnlyList<FieldError> Validate(KubeObject obj) => obj switch
    {
        Pod pod => PodValidation.Validate(pod),
        Service service => ServiceValidation.Validate(service),
        ReplicationController rc => ReplicationControllerValidation.Validate(rc),
        Endpoints endpoints => EndpointsValidation.Validate(endpoints),
        Node node => NodeValidation.Validate(node),
        Namespace ns => NodeValidation.Validate(ns),
        Lease lease => LeaseValidation.Validate(lease),
        ConfigMap configMap => ConfigMapValidation.Validate(configMap),
        Secret secret => SecretValidation.Validate(secret),
        Role role => RbacValidation.Validate(role),
        ClusterRole clusterRole => RbacValidation.Validate(clusterRole),
        RoleBinding roleBinding => RbacValidation.Validate(roleBinding),
        ClusterRoleBinding clusterRoleBinding => RbacValidation.Validate(clusterRoleBinding),
        SubjectAccessReview review => AccessReviewValidation.Validate(review),
        SelfSubjectAccessReview review => AccessReviewValidation.Validate(review),
        LocalSubjectAccessReview review => AccessReviewValidation.Validate(review),
        // As Kubernetes: their REST handlers check what they need (a token), nothing else is validated.
        SelfSubjectRulesReview or Authentication.TokenReview or Authentication.SelfSubjectReview => [],
        CertificateSigningRequest csr => CertificateSigningRequestValidation.Validate(csr),
        null => throw new ArgumentNullException(nameof(obj)),
        _ => ValidateMetadataOnly(obj),
    };

    /// <summary>
    /// The 422 Status Kubernetes answers for invalid objects:
    /// <c>Service "web" is invalid: spec.ports[0].port: Invalid value: …</c>, one cause per error;
    /// a kind of a named group is qualified by it (<c>Lease.coordination.k8s.io "x" is invalid: …</c>).
    /// </summary>
    public static Status ToStatus(string kind, string? name, IReadOnlyList<FieldError> errors, string group = "")
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(errors);
        var summary = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        return new Status
        {
            Result = "Failure",
            Message = string.Create(CultureInfo.InvariantCulture, $"{(group.Length == 0 ? kind : kind + "." + group)} \"{name}\" is invalid: {summary}"),
            Reason = StatusReasons.Invalid,
            Details = new StatusDetails
            {
                Name = name,
                Group = group.Length == 0 ? null : group,
                Kind = kind,
                Causes = errors.Select(e => new StatusCause { Reason = e.CauseReason, Message = e.Body, Field = e.Field }).ToList(),
            },
            Code = 422,
        };
    }

    private static List<FieldError> ValidateMetadataOnly(KubeObject obj)
    {
        var errors = new List<FieldError>();
        var namespaced = Serialization.KubeKinds.Find(obj.GetType())?.Namespaced ?? true;
        ObjectMetaValidation.Validate(obj.Metadata, namespaced, NameValidation.IsDns1123Subdomain, FieldPath.Root("metadata"), errors);
        return errors;
    }
}
