namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>The mounts volumes need (tmpfs for <c>emptyDir.medium: Memory</c>), apart so tests can see them.</summary>
public interface IVolumeMounter
{
    /// <summary>Mounts a tmpfs on <paramref name="target"/>, of at most <paramref name="sizeBytes"/> when given.</summary>
    void MountTmpfs(string target, long? sizeBytes);

    /// <summary>Unmounts <paramref name="target"/> (lazily, so a busy mount still goes).</summary>
    void Unmount(string target);

    /// <summary>The mount points at or under <paramref name="directory"/>, deepest first.</summary>
    IReadOnlyList<string> MountPointsUnder(string directory);
}
