namespace KubeProxyFast.Controllers.Certificates;

/// <summary>Settings of the csrcleaner controller; the ages are Kubernetes' constants.</summary>
public sealed record CsrCleanerOptions
{
    /// <summary>How often every request is looked at (Kubernetes: an hour).</summary>
    public TimeSpan PollingInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long an issued (approved) request is kept after its approval.</summary>
    public TimeSpan ApprovedExpiration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a denied or failed request is kept after that condition.</summary>
    public TimeSpan DeniedExpiration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a request nobody decided on is kept after its creation.</summary>
    public TimeSpan PendingExpiration { get; init; } = TimeSpan.FromHours(24);
}
