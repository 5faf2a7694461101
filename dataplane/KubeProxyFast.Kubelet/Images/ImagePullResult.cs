namespace KubeProxyFast.Kubelet.Images;

/// <summary>
/// The image a container is to run, or why it cannot be had yet: <c>ErrImagePull</c> (with the
/// registry's message), <c>ImagePullBackOff</c> (waiting to try again), <c>ErrImageNeverPull</c>,
/// <c>InvalidImageName</c>.
/// </summary>
/// <param name="ImageRef">The runtime's reference (image id) to create the container from; null on failure.</param>
/// <param name="Reason">Kubernetes' waiting reason when <paramref name="ImageRef"/> is null.</param>
/// <param name="Message">The runtime's or registry's words.</param>
public sealed record ImagePullResult(string? ImageRef, string? Reason, string? Message)
{
    /// <summary>Whether the image is present.</summary>
    public bool Succeeded => ImageRef is not null;
}
