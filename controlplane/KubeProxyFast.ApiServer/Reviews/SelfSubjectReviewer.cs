using KubeProxyFast.Api.Authentication;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Handlers;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>
/// SelfSubjectReview: who the server takes the requester for (<c>kubectl auth whoami</c>), after
/// impersonation; stamped with the time of the answer, as Kubernetes does.
/// </summary>
internal sealed class SelfSubjectReviewer(TimeProvider time) : IReviewer
{
    /// <inheritdoc/>
    public KindInfo Kind => KubeKinds.SelfSubjectReview;

    /// <inheritdoc/>
    public ValueTask<KubeObject> ReviewAsync(KubeObject review, ApiContext context)
    {
        var answer = new SelfSubjectReview
        {
            Kind = review.Kind,
            ApiVersion = review.ApiVersion,
            Metadata = new ObjectMeta { CreationTimestamp = Handlers.ObjectLifecycle.Seconds(time.GetUtcNow()) },
            Status = new SelfSubjectReviewStatus { UserInfo = ReviewUsers.ToApi(context.User) },
        };
        return ValueTask.FromResult<KubeObject>(answer);
    }
}
