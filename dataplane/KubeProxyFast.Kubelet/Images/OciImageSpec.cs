namespace KubeProxyFast.Kubelet.Images;

/// <summary>
/// A one-layer image made of the host's static busybox (with its applet links: <c>/bin/sh</c>,
/// <c>/bin/sleep</c>, …) and extra files, as <see cref="OciImageArchive"/> writes it.
/// </summary>
public sealed record OciImageSpec
{
    /// <summary>The image's full name, e.g. <c>localhost/kpf/pause:3.10</c> (stored as the index's ref name).</summary>
    public required string Reference { get; init; }

    /// <summary>The image's entrypoint; empty for none.</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    /// <summary>The image's cmd (arguments to the entrypoint, or the command); empty for none.</summary>
    public IReadOnlyList<string> Cmd { get; init; } = [];

    /// <summary>Environment, <c>NAME=value</c>.</summary>
    public IReadOnlyList<string> Env { get; init; } = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];

    /// <summary>The working directory.</summary>
    public string WorkingDir { get; init; } = "/";

    /// <summary>Files added to the layer (parent directories are made).</summary>
    public IReadOnlyList<OciImageFile> Files { get; init; } = [];

    /// <summary>The static busybox copied to <c>/bin/busybox</c>.</summary>
    public string BusyboxPath { get; init; } = "/bin/busybox";
}

/// <summary>A file in an <see cref="OciImageSpec"/>'s layer.</summary>
/// <param name="Path">Absolute path in the image, e.g. <c>/etc/motd</c>.</param>
/// <param name="Content">The bytes.</param>
/// <param name="Mode">Permissions; 0644 when null.</param>
public sealed record OciImageFile(string Path, ReadOnlyMemory<byte> Content, UnixFileMode? Mode = null);

/// <summary>What <see cref="OciImageArchive"/> wrote.</summary>
/// <param name="Reference">The image's name.</param>
/// <param name="ManifestDigest">The manifest's digest (<c>sha256:…</c>), the registry's digest of the image.</param>
/// <param name="ConfigDigest">The config's digest: the image id containerd and CRI report.</param>
public sealed record OciImageInfo(string Reference, string ManifestDigest, string ConfigDigest);
