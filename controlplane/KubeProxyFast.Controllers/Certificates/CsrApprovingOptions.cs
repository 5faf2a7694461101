namespace KubeProxyFast.Controllers.Certificates;

/// <summary>Settings of the csrapproving controller.</summary>
public sealed record CsrApprovingOptions
{
    /// <summary>Requests judged at once (kube-controller-manager runs 5 workers).</summary>
    public int Workers { get; init; } = 5;
}
