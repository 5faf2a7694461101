using Grpc.Core;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri;
using KubeProxyFast.Kubelet.Cri.V1;
using Microsoft.Extensions.Logging;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.Images;

/// <summary>
/// Makes a container's image present through CRI with Kubernetes' <c>imagePullPolicy</c> semantics:
/// Always pulls, IfNotPresent pulls only when absent, Never never pulls (absent →
/// <c>ErrImageNeverPull</c>); no policy means Always for <c>:latest</c> or an untagged, undigested
/// image and IfNotPresent otherwise. A failed pull gives <c>ErrImagePull</c> with the runtime's
/// message and puts the pod+image in back-off (<see cref="ImagePullBackOff"/>); while it lasts the
/// result is <c>ImagePullBackOff</c> without a pull.
/// </summary>
public sealed partial class ImageManager
{
    /// <summary>Kubernetes' waiting reason for a failed pull.</summary>
    public const string ErrImagePull = "ErrImagePull";

    /// <summary>Kubernetes' waiting reason while a failed pull is backed off.</summary>
    public const string ImagePullBackOffReason = "ImagePullBackOff";

    /// <summary>Kubernetes' waiting reason for an absent image with policy Never.</summary>
    public const string ErrImageNeverPull = "ErrImageNeverPull";

    /// <summary>Kubernetes' waiting reason for an unparsable image reference.</summary>
    public const string InvalidImageName = "InvalidImageName";

    private readonly CriConnection _cri;
    private readonly ILogger _logger;
    private readonly ImagePullBackOff _backOff;

    /// <summary>An image manager over <paramref name="cri"/>; back-off time from <paramref name="time"/>.</summary>
    public ImageManager(CriConnection cri, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(cri);
        ArgumentNullException.ThrowIfNull(logger);
        _cri = cri;
        _logger = logger;
        _backOff = new ImagePullBackOff(time ?? TimeProvider.System);
    }

    /// <summary>The back-off state (read by tests and status).</summary>
    public ImagePullBackOff BackOff => _backOff;

    /// <summary>
    /// Ensures <paramref name="container"/>'s image is present for <paramref name="pod"/>; the result
    /// carries the runtime's image reference (its id) or the reason and message it cannot be had.
    /// gRPC failures other than the pull's (the runtime is down) are thrown.
    /// </summary>
    public async Task<ImagePullResult> EnsureImageAsync(Pod pod, Container container, PodSandboxConfig sandbox, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var image = container.Image ?? "";
        if (!ImageReference.TryParse(image, out var reference))
        {
            return new ImagePullResult(null, InvalidImageName, $"Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format");
        }

        var policy = string.IsNullOrEmpty(container.ImagePullPolicy) ? reference.DefaultPullPolicy : container.ImagePullPolicy;
        var spec = new ImageSpec { Image = reference.WithDefaultTag, UserSpecifiedImage = image };
        var status = await _cri.Images.ImageStatusAsync(new ImageStatusRequest { Image = spec }, cancellationToken: ct).ConfigureAwait(false);
        var present = status.Image is { Id.Length: > 0 };
        if (policy == "Never" || (policy == "IfNotPresent" && present))
        {
            return present
                ? new ImagePullResult(status.Image!.Id, null, null)
                : new ImagePullResult(null, ErrImageNeverPull, $"Container image \"{image}\" is not present with pull policy of Never");
        }

        var key = $"{pod.Metadata.Uid}_{image}";
        if (_backOff.IsInBackOff(key, out var last))
        {
            // As newer kubelets: the back-off names the failure behind it, so the registry's words stay visible.
            var cause = last is null ? "" : $": {ErrImagePull}: {last}";
            return new ImagePullResult(null, ImagePullBackOffReason, $"Back-off pulling image \"{image}\"{cause}");
        }

        try
        {
            var pulled = await _cri.Images.PullImageAsync(new PullImageRequest { Image = spec, SandboxConfig = sandbox }, cancellationToken: ct).ConfigureAwait(false);
            _backOff.Reset(key);
            Log.Pulled(_logger, image, pulled.ImageRef);
            return new ImagePullResult(pulled.ImageRef, null, null);
        }
        catch (RpcException e) when (e.StatusCode is not (StatusCode.Unavailable or StatusCode.Cancelled))
        {
            var delay = _backOff.Failed(key, e.Status.Detail);
            Log.PullFailed(_logger, image, e.Status.Detail, delay.TotalSeconds);
            return new ImagePullResult(null, ErrImagePull, e.Status.Detail);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "pulled image {Image}: {ImageRef}")]
        public static partial void Pulled(ILogger logger, string image, string imageRef);

        [LoggerMessage(2, LogLevel.Warning, "pulling image {Image} failed: {Message}; backing off {Delay} s")]
        public static partial void PullFailed(ILogger logger, string image, string message, double delay);
    }
}
