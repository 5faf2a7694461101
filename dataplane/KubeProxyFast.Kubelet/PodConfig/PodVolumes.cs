using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.Cri.V1;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// A pod's volumes on the node, laid out as the kubelet's: <c>&lt;data&gt;/agent/pods/&lt;uid&gt;/volumes/&lt;plugin&gt;/&lt;name&gt;</c>
/// with Kubernetes' plugin directories (<c>kubernetes.io~empty-dir</c>, <c>kubernetes.io~configmap</c>,
/// <c>kubernetes.io~secret</c>); a hostPath volume is the node's path itself, checked against its
/// type. <c>SetUp</c> makes them (emptyDir on disk or tmpfs, configMap/secret files written
/// atomically), <see cref="Mounts"/> gives a container's CRI mounts, <see cref="TearDown"/> unmounts
/// and deletes the pod's directory. Errors are <see cref="ContainerConfigException"/>s.
/// </summary>
/// <param name="dataDirectory">The agent's <c>--data-dir</c>.</param>
/// <param name="mounter">The mounts (tmpfs); <see cref="LinuxVolumeMounter"/> by default.</param>
public sealed class PodVolumes(string dataDirectory, IVolumeMounter? mounter = null)
{
    /// <summary>Kubernetes' emptyDir plugin directory.</summary>
    public const string EmptyDirPlugin = "kubernetes.io~empty-dir";

    /// <summary>Kubernetes' configMap plugin directory.</summary>
    public const string ConfigMapPlugin = "kubernetes.io~configmap";

    /// <summary>Kubernetes' secret plugin directory.</summary>
    public const string SecretPlugin = "kubernetes.io~secret";

    // Kubernetes' defaults: ConfigMapVolumeSourceDefaultMode and SecretVolumeSourceDefaultMode are 0644.
    private const int DefaultFileMode = 420;

    private readonly IVolumeMounter _mounter = mounter ?? new LinuxVolumeMounter();

    /// <summary>The pod's directory, <c>&lt;data&gt;/agent/pods/&lt;uid&gt;</c>.</summary>
    public string PodDirectory(string podUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(podUid);
        if (podUid.Contains('/', StringComparison.Ordinal) || podUid is "." or "..")
        {
            throw new ArgumentException($"not a pod UID: {podUid}", nameof(podUid));
        }

        return Path.Combine(dataDirectory, "agent", "pods", podUid);
    }

    /// <summary>Where <paramref name="volume"/> of the pod lives on the node (a hostPath volume: its path).</summary>
    public string VolumePath(string podUid, Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.HostPath is { } hostPath)
        {
            return hostPath.Path;
        }

        var plugin = volume.EmptyDir is not null ? EmptyDirPlugin
            : volume.ConfigMap is not null ? ConfigMapPlugin
            : volume.Secret is not null ? SecretPlugin
            : throw new ContainerConfigException($"volume \"{volume.Name}\" has a type this kubelet does not support");
        return Path.Combine(PodDirectory(podUid), "volumes", plugin, volume.Name);
    }

    /// <summary>
    /// Makes every volume of <paramref name="pod"/> ready (idempotent: run on every sync, it
    /// refreshes configMap/secret contents): the ConfigMap and Secret lookups give the pod
    /// namespace's objects by name, null when absent.
    /// </summary>
    public void SetUp(Pod pod, Func<string, ConfigMap?> getConfigMap, Func<string, Secret?> getSecret)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(getConfigMap);
        ArgumentNullException.ThrowIfNull(getSecret);
        var uid = pod.Metadata.Uid ?? throw new ArgumentException("the pod has no UID", nameof(pod));
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            try
            {
                SetUp(pod, uid, volume, getConfigMap, getSecret);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ContainerConfigException($"MountVolume.SetUp failed for volume \"{volume.Name}\" : {e.Message}", e);
            }
        }
    }

    private void SetUp(Pod pod, string uid, Volume volume, Func<string, ConfigMap?> getConfigMap, Func<string, Secret?> getSecret)
    {
        if (volume.HostPath is { } hostPath)
        {
            HostPathCheck.Check(hostPath.Path, hostPath.Type);
            return;
        }

        var path = VolumePath(uid, volume);
        if (volume.EmptyDir is { } emptyDir)
        {
            Directory.CreateDirectory(path);
            if (emptyDir.Medium == "Memory")
            {
                if (!_mounter.MountPointsUnder(path).Contains(path))
                {
                    long? size = emptyDir.SizeLimit is { Sign: > 0 } limit ? limit.Value : null;
                    _mounter.MountTmpfs(path, size);
                }
            }
            else if (!string.IsNullOrEmpty(emptyDir.Medium))
            {
                throw new ContainerConfigException($"MountVolume.SetUp failed for volume \"{volume.Name}\" : unknown storage medium \"{emptyDir.Medium}\"");
            }

            // An emptyDir is world-writable, as Kubernetes makes it (0777).
            VolumeSyscalls.SetMode(path, (UnixFileMode)0x1FF);
            return;
        }

        if (volume.ConfigMap is { } configMapSource)
        {
            var name = configMapSource.Name ?? "";
            var configMap = getConfigMap(name);
            var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            if (configMap is null)
            {
                if (configMapSource.Optional != true)
                {
                    throw new ContainerConfigException($"MountVolume.SetUp failed for volume \"{volume.Name}\" : configmap \"{name}\" not found");
                }
            }
            else
            {
                foreach (var (key, value) in configMap.Data ?? [])
                {
                    data[key] = Encoding.UTF8.GetBytes(value);
                }

                foreach (var (key, value) in configMap.BinaryData ?? [])
                {
                    data[key] = value;
                }
            }

            var files = Payload(volume.Name, "configmap references non-existent config key", data, configMapSource.Items,
                configMapSource.DefaultMode, configMapSource.Optional == true);
            AtomicWriter.Write(path, files);
            return;
        }

        if (volume.Secret is { } secretSource)
        {
            var name = secretSource.SecretName ?? "";
            var secret = getSecret(name);
            if (secret is null && secretSource.Optional != true)
            {
                throw new ContainerConfigException($"MountVolume.SetUp failed for volume \"{volume.Name}\" : secret \"{name}\" not found");
            }

            var data = secret?.Data ?? new Dictionary<string, byte[]>();
            var files = Payload(volume.Name, "references non-existent secret key", data, secretSource.Items,
                secretSource.DefaultMode, secretSource.Optional == true);
            AtomicWriter.Write(path, files);
            return;
        }

        _ = pod;
        throw new ContainerConfigException($"volume \"{volume.Name}\" has a type this kubelet does not support");
    }

    /// <summary>Kubernetes' <c>MakePayload</c>: every key as a file of its name, or the listed items (a missing one fails unless optional).</summary>
    private static List<ProjectedFile> Payload(string volume, string missingKeyMessage, Dictionary<string, byte[]> data,
        List<KeyToPath>? items, int? defaultMode, bool optional)
    {
        var mode = (UnixFileMode)(defaultMode ?? DefaultFileMode);
        if (items is not { Count: > 0 })
        {
            return data.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ProjectedFile(p.Key, p.Value, mode)).ToList();
        }

        var files = new List<ProjectedFile>();
        foreach (var item in items)
        {
            if (!data.TryGetValue(item.Key, out var content))
            {
                if (optional)
                {
                    continue;
                }

                throw new ContainerConfigException($"MountVolume.SetUp failed for volume \"{volume}\" : {missingKeyMessage}: {item.Key}");
            }

            if (item.Path.StartsWith('/') || item.Path.Split('/').Contains("..") || item.Path.StartsWith("..", StringComparison.Ordinal))
            {
                throw new ContainerConfigException($"MountVolume.SetUp failed for volume \"{volume}\" : invalid path {item.Path}");
            }

            files.Add(new ProjectedFile(item.Path, content, item.Mode is { } itemMode ? (UnixFileMode)itemMode : mode));
        }

        return files;
    }

    /// <summary>
    /// The CRI mounts of <paramref name="container"/>: each volumeMount's volume (or its subPath,
    /// created in the volume when missing and refused when it leads out of it) at its mountPath.
    /// Call after <c>SetUp</c>.
    /// </summary>
    public List<Mount> Mounts(Pod pod, Container container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var uid = pod.Metadata.Uid ?? throw new ArgumentException("the pod has no UID", nameof(pod));
        var mounts = new List<Mount>();
        foreach (var volumeMount in container.VolumeMounts ?? [])
        {
            var volume = pod.Spec?.Volumes?.FirstOrDefault(v => v.Name == volumeMount.Name)
                ?? throw new ContainerConfigException($"cannot find volume \"{volumeMount.Name}\" to mount into container \"{container.Name}\"");
            var hostPath = VolumePath(uid, volume);
            if (!string.IsNullOrEmpty(volumeMount.SubPath))
            {
                hostPath = SubPath(hostPath, volumeMount.SubPath, volume.Name);
            }

            mounts.Add(new Mount
            {
                ContainerPath = volumeMount.MountPath,
                HostPath = hostPath,
                Readonly = volumeMount.ReadOnly == true,
            });
        }

        return mounts;
    }

    private static string SubPath(string volumePath, string subPath, string volume)
    {
        if (subPath.StartsWith('/') || subPath.Split('/').Contains(".."))
        {
            throw new ContainerConfigException($"subPath \"{subPath}\" of volume \"{volume}\" must be a relative path without '..'");
        }

        var path = Path.Combine(volumePath, subPath);
        try
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                Directory.CreateDirectory(path);
            }

            // A symlink inside the volume must not lead the mount out of it.
            var root = RealPath(volumePath);
            var real = RealPath(path);
            if (real != root && !real.StartsWith(root + "/", StringComparison.Ordinal))
            {
                throw new ContainerConfigException($"subPath \"{subPath}\" of volume \"{volume}\" leads outside the volume");
            }

            return real;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerConfigException($"failed to prepare subPath \"{subPath}\" of volume \"{volume}\": {e.Message}", e);
        }
    }

    /// <summary>The path with every symlink resolved.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "/";
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                next = RealPath(target.FullName);
            }

            current = next;
        }

        return current;
    }

    /// <summary>Unmounts whatever is mounted under the pod's directory (tmpfs emptyDirs) and deletes it.</summary>
    public void TearDown(string podUid)
    {
        var directory = PodDirectory(podUid);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var point in _mounter.MountPointsUnder(directory))
        {
            _mounter.Unmount(point);
        }

        // Directory.Delete removes symlinks (configMap/secret entries) without following them.
        Directory.Delete(directory, recursive: true);
    }
}
