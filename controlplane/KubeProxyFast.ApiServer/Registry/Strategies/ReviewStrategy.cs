namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>
/// The reviews (create-only, never stored): no defaults, no status of their own to protect, only
/// the validation of their kind (Kubernetes' authorization validation; none for token, self-subject
/// and rules reviews).
/// </summary>
internal sealed class ReviewStrategy : ResourceStrategy
{
    /// <summary>The one instance; it holds no state.</summary>
    public static ReviewStrategy Instance { get; } = new();
}
