using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Security;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>The reviewers of every create-only resource, judging by a server's security (AlwaysAllow without it).</summary>
internal static class Reviewers
{
    /// <summary>The handler of the create-only resources of a server secured by <paramref name="security"/> (null: plain HTTP).</summary>
    public static CreateOnlyHandler Handler(ApiSecurity? security, ApiServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IAuthorizer authorizer = security?.Authorization ?? AlwaysAllowAuthorizer.Instance;
        IReviewer[] reviewers =
        [
            new SubjectAccessReviewer(authorizer),
            new LocalSubjectAccessReviewer(authorizer),
            new SelfSubjectAccessReviewer(authorizer),
            new SelfSubjectRulesReviewer(security?.RuleResolvers, security?.EveryModeListsRules ?? true),
            new TokenReviewer(security?.Tokens),
            new SelfSubjectReviewer(options.Time),
        ];
        return new CreateOnlyHandler(reviewers, options.MaxRequestBodyBytes);
    }
}
