namespace KubeProxyFast.Kubelet.Images;

/// <summary>
/// The pod sandbox ("pause") image the kubelet builds from busybox-static and imports at start, so
/// that no registry is needed to run a pod: a shell that sleeps until SIGTERM/SIGINT and then exits 0
/// (as PID 1 it ignores signals it has no handler for, hence the trap).
/// </summary>
public static class SandboxImage
{
    /// <summary>The image's name.</summary>
    public const string DefaultReference = "localhost/kpf/pause:3.10";

    /// <summary>The image to build for <paramref name="reference"/>.</summary>
    public static OciImageSpec Spec(string reference = DefaultReference) => new()
    {
        Reference = reference,
        Entrypoint = ["/bin/sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"],
    };

    /// <summary>Writes the image's archive to <paramref name="path"/>.</summary>
    public static OciImageInfo WriteArchive(string path, string reference = DefaultReference) => OciImageArchive.WriteFile(Spec(reference), path);
}
