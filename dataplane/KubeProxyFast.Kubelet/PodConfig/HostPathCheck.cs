namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// Kubernetes' hostPath type check: <c>DirectoryOrCreate</c> makes a missing directory (0755),
/// <c>FileOrCreate</c> a missing file (0644); otherwise the path must already be of the type, and a
/// mismatch is a <see cref="ContainerConfigException"/> naming the path and type.
/// </summary>
public static class HostPathCheck
{
    /// <summary>Checks (and for the *OrCreate types, makes) <paramref name="path"/> for <paramref name="type"/> ("" or null: no check).</summary>
    public static void Check(string path, string? type)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fileType = VolumeSyscalls.FileType(path);
        switch (type ?? "")
        {
            case "":
                return;
            case "DirectoryOrCreate" when fileType is null:
                Directory.CreateDirectory(path);
                VolumeSyscalls.SetMode(path, (UnixFileMode)0x1ED);
                return;
            case "DirectoryOrCreate" or "Directory":
                Expect(fileType == VolumeSyscalls.S_IFDIR, path, "a directory");
                return;
            case "FileOrCreate" when fileType is null:
                using (File.Create(path))
                {
                }

                VolumeSyscalls.SetMode(path, (UnixFileMode)0x1A4);
                return;
            case "FileOrCreate" or "File":
                Expect(fileType == VolumeSyscalls.S_IFREG, path, "a file");
                return;
            case "Socket":
                Expect(fileType == VolumeSyscalls.S_IFSOCK, path, "a socket file");
                return;
            case "CharDevice":
                Expect(fileType == VolumeSyscalls.S_IFCHR, path, "a character device");
                return;
            case "BlockDevice":
                Expect(fileType == VolumeSyscalls.S_IFBLK, path, "a block device");
                return;
            default:
                throw new ContainerConfigException($"{type} is an invalid volume type");
        }
    }

    private static void Expect(bool ok, string path, string what)
    {
        if (!ok)
        {
            throw new ContainerConfigException($"hostPath type check failed: {path} is not {what}");
        }
    }
}
