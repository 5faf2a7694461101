namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>What a bootstrap token may do, and until when.</summary>
public sealed record BootstrapTokenOptions
{
    /// <summary>When the token stops being valid; null for never.</summary>
    public DateTimeOffset? Expiration { get; init; }

    /// <summary>What the token is for (shown by <c>kubeadm token list</c>).</summary>
    public string? Description { get; init; }

    /// <summary>The token authenticates as a bearer token (<c>usage-bootstrap-authentication</c>).</summary>
    public bool Authentication { get; init; } = true;

    /// <summary>The token may sign the cluster-info ConfigMap (<c>usage-bootstrap-signing</c>).</summary>
    public bool Signing { get; init; }

    /// <summary>Groups beyond <c>system:bootstrappers</c>, each <c>system:bootstrappers:…</c>.</summary>
    public IReadOnlyList<string> ExtraGroups { get; init; } = [];
}
