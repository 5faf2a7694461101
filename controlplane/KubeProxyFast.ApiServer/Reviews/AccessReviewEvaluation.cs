using KubeProxyFast.Api.Authorization;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>
/// What the access reviews share, as Kubernetes' <c>authorizationutil</c>: a review's attributes
/// become an authorizer's, and the authorizer's decision becomes the review's status.
/// </summary>
internal static class AccessReviewEvaluation
{
    /// <summary>
    /// The attributes of <paramref name="resource"/> or <paramref name="nonResource"/> (validation
    /// guarantees exactly one) for <paramref name="user"/>, as <c>ResourceAttributesFrom</c> and
    /// <c>NonResourceAttributesFrom</c> make them.
    /// </summary>
    public static AuthorizationAttributes Attributes(UserInfo user, ResourceAttributes? resource, NonResourceAttributes? nonResource) =>
        resource is not null
            ? new AuthorizationAttributes
            {
                User = user,
                Verb = resource.Verb ?? "",
                IsResourceRequest = true,
                ApiGroup = resource.Group ?? "",
                ApiVersion = resource.Version ?? "",
                Resource = resource.Resource ?? "",
                Subresource = resource.Subresource ?? "",
                Namespace = resource.Namespace ?? "",
                Name = resource.Name ?? "",
            }
            : new AuthorizationAttributes
            {
                User = user,
                Verb = nonResource?.Verb ?? "",
                IsResourceRequest = false,
                Path = nonResource?.Path ?? "",
            };

    /// <summary>The status <paramref name="authorizer"/> gives <paramref name="attributes"/>: allowed, denied outright, or neither (no opinion).</summary>
    public static async ValueTask<SubjectAccessReviewStatus> EvaluateAsync(IAuthorizer authorizer, AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        var decision = await authorizer.AuthorizeAsync(attributes, cancellationToken).ConfigureAwait(false);
        return new SubjectAccessReviewStatus
        {
            Allowed = decision.Decision == Decision.Allow,
            Denied = decision.Decision == Decision.Deny ? true : null,
            Reason = decision.Reason.Length == 0 ? null : decision.Reason,
        };
    }
}
