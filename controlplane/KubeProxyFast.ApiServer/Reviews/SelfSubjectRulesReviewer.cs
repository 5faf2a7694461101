using KubeProxyFast.Api.Authorization;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>
/// SelfSubjectRulesReview: what the requester may do in a namespace (<c>kubectl auth can-i --list</c>),
/// as Kubernetes' union rule resolver: every mode's rules together, incomplete when a mode cannot
/// list its own (<paramref name="enumerable"/> is false when some authorization mode is not a
/// <see cref="IRuleResolver"/>). <c>system:masters</c>, which the chain lets do anything, has the
/// rules that say so; so has everyone on a server without authorization (AlwaysAllow's rules).
/// </summary>
internal sealed class SelfSubjectRulesReviewer(IReadOnlyList<IRuleResolver>? resolvers, bool enumerable) : IReviewer
{
    private static readonly string[] All = ["*"];

    /// <inheritdoc/>
    public KindInfo Kind => KubeKinds.SelfSubjectRulesReview;

    /// <inheritdoc/>
    public async ValueTask<KubeObject> ReviewAsync(KubeObject review, ApiContext context)
    {
        var rulesReview = (SelfSubjectRulesReview)review;
        var ns = rulesReview.Spec.Namespace;
        if (string.IsNullOrEmpty(ns))
        {
            // Kubernetes' REST handler, word for word.
            throw StatusErrors.BadRequest("no namespace on request");
        }

        var status = new SubjectRulesReviewStatus { Incomplete = !enumerable && resolvers is not null };
        var user = context.User;
        if (resolvers is null || user.InGroup(UserInfo.SystemMasters))
        {
            status.ResourceRules.Add(new ResourceRule { Verbs = [.. All], ApiGroups = [.. All], Resources = [.. All] });
            status.NonResourceRules.Add(new NonResourceRule { Verbs = [.. All], NonResourceUrls = [.. All] });
        }

        var errors = new List<string>();
        foreach (var resolver in resolvers ?? [])
        {
            var found = await resolver.RulesForAsync(user, ns, context.Aborted).ConfigureAwait(false);
            status.ResourceRules.AddRange(found.ResourceRules);
            status.NonResourceRules.AddRange(found.NonResourceRules);
            status.Incomplete |= found.Incomplete;
            if (found.EvaluationError is { Length: > 0 } error)
            {
                errors.Add(error);
            }
        }

        status.EvaluationError = errors.Count switch
        {
            0 => null,
            1 => errors[0],
            _ => "[" + string.Join(", ", errors) + "]",
        };
        rulesReview.Status = status;
        return rulesReview;
    }
}
