using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Handlers;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>
/// Answers one create-only kind (<see cref="Registry.ResourceDefinition.IsCreateOnly"/>): given the
/// decoded, validated request object, returns it with its status filled. Nothing is stored.
/// </summary>
internal interface IReviewer
{
    /// <summary>The kind answered.</summary>
    KindInfo Kind { get; }

    /// <summary>The answer to <paramref name="review"/>, asked by <paramref name="context"/>'s user.</summary>
    ValueTask<KubeObject> ReviewAsync(KubeObject review, ApiContext context);
}
