using System.Security.Cryptography;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Kubelet.Cri.V1;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// The CRI <see cref="ContainerConfig"/> of one container instance: metadata (name, attempt), image
/// reference, command and args after <c>$(VAR)</c> expansion, working dir, environment, mounts, log
/// path <c>&lt;container&gt;/&lt;attempt&gt;.log</c> (under the sandbox's log directory), the kubelet's
/// labels, annotations (restart count, spec hash, grace period) and Linux resources.
/// </summary>
public sealed class ContainerConfigBuilder
{
    private readonly IPodConfigSource _config;

    /// <summary>Builds with the pod configuration source.</summary>
    public ContainerConfigBuilder(IPodConfigSource config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
    }

    /// <summary>
    /// The config of instance <paramref name="attempt"/> (= restart count) of <paramref name="container"/>,
    /// to run <paramref name="imageRef"/>. Throws <see cref="PodConfig.ContainerConfigException"/> when the
    /// pod's configuration cannot be resolved.
    /// </summary>
    public async Task<ContainerConfig> BuildAsync(Pod pod, Container container, uint attempt, string imageRef, string? podIp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var env = await _config.EnvironmentAsync(pod, container, podIp, ct).ConfigureAwait(false);
        var mounts = await _config.MountsAsync(pod, container, ct).ConfigureAwait(false);
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = container.Name, Attempt = attempt },
            Image = new ImageSpec { Image = imageRef, UserSpecifiedImage = container.Image ?? "" },
            WorkingDir = container.WorkingDir ?? "",
            LogPath = $"{container.Name}/{attempt}.log",
            Linux = new LinuxContainerConfig
            {
                SecurityContext = new LinuxContainerSecurityContext { NamespaceOptions = SandboxConfigBuilder.NamespaceOptions(pod) },
            },
        };
        foreach (var part in container.Command ?? [])
        {
            config.Command.Add(_config.Expand(part, env));
        }

        foreach (var part in container.Args ?? [])
        {
            config.Args.Add(_config.Expand(part, env));
        }

        config.Envs.AddRange(env);
        config.Mounts.AddRange(mounts);
        if (_config.Resources(pod, container) is { } resources)
        {
            config.Linux.Resources = resources;
        }

        SandboxConfigBuilder.AddPodLabels(config.Labels, pod);
        config.Labels[KubeletLabels.ContainerName] = container.Name;
        config.Annotations[KubeletLabels.ContainerHash] = Hash(container);
        config.Annotations[KubeletLabels.ContainerRestartCount] = SandboxConfigBuilder.Invariant(attempt);
        config.Annotations[KubeletLabels.PodTerminationGracePeriod] = SandboxConfigBuilder.Invariant(SandboxConfigBuilder.GracePeriodSeconds(pod));
        return config;
    }

    /// <summary>
    /// A hash of the container's spec as the API serializes it: a running instance whose hash
    /// differs was made from an older spec and is restarted.
    /// </summary>
    public static string Hash(Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var json = KubeJson.SerializeToUtf8Bytes(container);
        return Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, 8));
    }
}
