using KubeProxyFast.Api.Authorization;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Handlers;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>
/// SubjectAccessReview: may the spec's user (name, groups, uid, extra exactly as given: no
/// <c>system:authenticated</c> is added) do this, anywhere. Asking needs <c>create</c> on
/// <c>subjectaccessreviews</c>, which only administrators and the components that delegate
/// authorization (kubelets) are given.
/// </summary>
internal sealed class SubjectAccessReviewer(IAuthorizer authorizer) : IReviewer
{
    /// <inheritdoc/>
    public KindInfo Kind => KubeKinds.SubjectAccessReview;

    /// <inheritdoc/>
    public async ValueTask<KubeObject> ReviewAsync(KubeObject review, ApiContext context)
    {
        var sar = (SubjectAccessReview)review;
        var spec = sar.Spec;
        var attributes = AccessReviewEvaluation.Attributes(SpecUser(spec), spec.ResourceAttributes, spec.NonResourceAttributes);
        sar.Status = await AccessReviewEvaluation.EvaluateAsync(authorizer, attributes, context.Aborted).ConfigureAwait(false);
        return sar;
    }

    /// <summary>The user a SubjectAccessReviewSpec names, as <c>AuthorizationAttributesFrom</c> builds it.</summary>
    public static UserInfo SpecUser(SubjectAccessReviewSpec spec) =>
        new(spec.User ?? "", string.IsNullOrEmpty(spec.Uid) ? null : spec.Uid, spec.Groups ?? [], ReviewUsers.FromApi(spec.Extra));
}

/// <summary>
/// LocalSubjectAccessReview: a SubjectAccessReview confined to the namespace of its path (the
/// validation has checked that its resource attributes name it), so a namespace's administrators
/// may be allowed to ask who can do what there.
/// </summary>
internal sealed class LocalSubjectAccessReviewer(IAuthorizer authorizer) : IReviewer
{
    /// <inheritdoc/>
    public KindInfo Kind => KubeKinds.LocalSubjectAccessReview;

    /// <inheritdoc/>
    public async ValueTask<KubeObject> ReviewAsync(KubeObject review, ApiContext context)
    {
        var lsar = (LocalSubjectAccessReview)review;
        var spec = lsar.Spec;
        var attributes = AccessReviewEvaluation.Attributes(SubjectAccessReviewer.SpecUser(spec), spec.ResourceAttributes, null);
        lsar.Status = await AccessReviewEvaluation.EvaluateAsync(authorizer, attributes, context.Aborted).ConfigureAwait(false);
        return lsar;
    }
}

/// <summary>
/// SelfSubjectAccessReview: may the requester do this (<c>kubectl auth can-i</c>). The user is the
/// request's own — after impersonation, the impersonated one, as <c>kubectl auth can-i --as</c> expects.
/// </summary>
internal sealed class SelfSubjectAccessReviewer(IAuthorizer authorizer) : IReviewer
{
    /// <inheritdoc/>
    public KindInfo Kind => KubeKinds.SelfSubjectAccessReview;

    /// <inheritdoc/>
    public async ValueTask<KubeObject> ReviewAsync(KubeObject review, ApiContext context)
    {
        var ssar = (SelfSubjectAccessReview)review;
        var attributes = AccessReviewEvaluation.Attributes(context.User, ssar.Spec.ResourceAttributes, ssar.Spec.NonResourceAttributes);
        ssar.Status = await AccessReviewEvaluation.EvaluateAsync(authorizer, attributes, context.Aborted).ConfigureAwait(false);
        return ssar;
    }
}
