using System.Collections.Frozen;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>
/// <c>POST</c> to the collection of a create-only resource (<see cref="Resources.CreateOnly"/>), as
/// kube-apiserver's create handler serves a storage that only implements <c>Create</c>: the body is
/// decoded under the request's field validation, its namespace reconciled with the path's (a
/// cluster-scoped kind's cleared), validated by the kind's strategy, then answered by the kind's
/// <see cref="IReviewer"/> with 201 and the object, its status filled. Nothing is stored, so there is
/// no name, resourceVersion, admission or dry run to apply.
/// </summary>
internal sealed class CreateOnlyHandler
{
    private readonly FrozenDictionary<KindInfo, IReviewer> _reviewers;
    private readonly long _maxBodyBytes;

    /// <summary>Answers with <paramref name="reviewers"/>, one for each of <see cref="Resources.CreateOnly"/>.</summary>
    /// <exception cref="ArgumentException">A create-only resource without its reviewer.</exception>
    public CreateOnlyHandler(IEnumerable<IReviewer> reviewers, long maxBodyBytes)
    {
        _reviewers = reviewers.ToFrozenDictionary(r => r.Kind);
        _maxBodyBytes = maxBodyBytes;
        if (Resources.CreateOnly.FirstOrDefault(r => !_reviewers.ContainsKey(r.Info)) is { } missing)
        {
            throw new ArgumentException($"{missing} is served as create only but nothing answers it", nameof(reviewers));
        }
    }

    /// <summary>Answers a POST to <paramref name="context"/>'s collection.</summary>
    public async Task CreateAsync(ApiContext context)
    {
        var resource = context.Resource;
        var body = await RequestBody.ReadJsonAsync(context.Http, _maxBodyBytes).ConfigureAwait(false);
        var review = ObjectHandlers.DecodeValidated(context, body, resource.Info, "CreateOptions");
        var meta = review.Metadata;
        if (!resource.Namespaced)
        {
            meta.Namespace = null;
        }
        else if (string.IsNullOrEmpty(meta.Namespace))
        {
            meta.Namespace = context.Namespace;
        }
        else if (meta.Namespace != context.Namespace)
        {
            throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var errors = resource.Strategy.Validate(review);
        if (errors.Count > 0)
        {
            // Kubernetes names no object: a review has none.
            throw StatusErrors.Invalid(ObjectValidation.ToStatus(resource.Kind, "", errors, resource.Group));
        }

        var answered = await _reviewers[resource.Info].ReviewAsync(review, context).ConfigureAwait(false);
        await ObjectResponse.WriteAsync(context, 201, answered).ConfigureAwait(false);
    }
}
