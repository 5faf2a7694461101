using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Authorization;

namespace KubeProxyFast.ApiServer.Reviews;

/// <summary>
/// The Node authorizer's part of a rules review, as Kubernetes' <c>NodeAuthorizer.RulesFor</c>: its
/// grants follow the node's pods and cannot be listed as rules, so a node's review is incomplete;
/// it grants nothing to anyone else.
/// </summary>
internal sealed class NodeRuleResolver : IRuleResolver
{
    /// <summary>The one instance; it holds no state.</summary>
    public static NodeRuleResolver Instance { get; } = new();

    private static readonly RuleResolution None = new([], []);
    private static readonly RuleResolution Unlistable = new([], [], Incomplete: true, "node authorizer does not support user rule resolution");

    /// <inheritdoc/>
    public ValueTask<RuleResolution> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken) =>
        ValueTask.FromResult(user.NodeName is null ? None : Unlistable);
}
