using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;
using KubeProxyFast.Kubelet.Images;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// Makes a container's image present (the Images folder's <c>ImageManager.EnsureImageAsync</c>, with
/// its pull policy and per-image back-off).
/// </summary>
public delegate Task<ImagePullResult> EnsureImage(Pod pod, Api.Core.Container container, PodSandboxConfig sandbox, CancellationToken ct);
