using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeProxyFast.Kubelet.Images;

/// <summary>
/// Writes an OCI image archive — a tar of an OCI image layout (<c>oci-layout</c>, <c>index.json</c>,
/// <c>blobs/sha256/</c>: config, manifest, one gzip layer) — for an <see cref="OciImageSpec"/>.
/// <c>ctr images import</c>, <c>skopeo copy oci-archive:…</c> and the kubelet's importer read it.
/// The index entry carries the name in both <c>io.containerd.image.name</c> (containerd's import
/// prefers it) and <c>org.opencontainers.image.ref.name</c>. Entries have a fixed mtime, so the same
/// spec gives the same digests.
/// </summary>
public static class OciImageArchive
{
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    private const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    private const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
    private const string IndexMediaType = "application/vnd.oci.image.index.v1+json";
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string[]> s_applets = new(StringComparer.Ordinal);

    /// <summary>Writes the archive to <paramref name="path"/> (atomically: a temp file renamed).</summary>
    public static OciImageInfo WriteFile(OciImageSpec spec, string path)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var temp = path + ".tmp-" + Environment.ProcessId;
        try
        {
            OciImageInfo info;
            using (var file = File.Create(temp))
            {
                info = Write(spec, file);
            }
            File.Move(temp, path, overwrite: true);
            return info;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes the archive to <paramref name="output"/>.</summary>
    public static OciImageInfo Write(OciImageSpec spec, Stream output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        var (layer, diffId) = BuildLayer(spec);
        var layerDigest = Digest(layer);

        var config = new JsonObject
        {
            ["created"] = Epoch.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["architecture"] = GoArch(),
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Env"] = Strings(spec.Env),
                ["Entrypoint"] = spec.Entrypoint.Count > 0 ? Strings(spec.Entrypoint) : null,
                ["Cmd"] = spec.Cmd.Count > 0 ? Strings(spec.Cmd) : null,
                ["WorkingDir"] = spec.WorkingDir,
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = Strings([diffId]) },
            ["history"] = new JsonArray(new JsonObject { ["created_by"] = "kpf OciImageArchive (busybox-static)" }),
        };
        var configBytes = Json(config);
        var configDigest = Digest(configBytes);

        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["config"] = Descriptor(ConfigMediaType, configDigest, configBytes.Length),
            ["layers"] = new JsonArray(Descriptor(LayerMediaType, layerDigest, layer.Length)),
        };
        var manifestBytes = Json(manifest);
        var manifestDigest = Digest(manifestBytes);

        var manifestDescriptor = Descriptor(ManifestMediaType, manifestDigest, manifestBytes.Length);
        manifestDescriptor["platform"] = new JsonObject { ["architecture"] = GoArch(), ["os"] = "linux" };
        manifestDescriptor["annotations"] = new JsonObject
        {
            ["io.containerd.image.name"] = spec.Reference,
            ["org.opencontainers.image.ref.name"] = spec.Reference,
        };
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = IndexMediaType,
            ["manifests"] = new JsonArray(manifestDescriptor),
        };

        using (var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            AddFile(tar, "oci-layout", Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}"));
            AddFile(tar, "index.json", Json(index));
            AddDirectory(tar, "blobs/");
            AddDirectory(tar, "blobs/sha256/");
            AddFile(tar, "blobs/sha256/" + Hex(configDigest), configBytes);
            AddFile(tar, "blobs/sha256/" + Hex(manifestDigest), manifestBytes);
            AddFile(tar, "blobs/sha256/" + Hex(layerDigest), layer);
        }

        return new OciImageInfo(spec.Reference, manifestDigest, configDigest);
    }

    private static (byte[] Gzipped, string DiffId) BuildLayer(OciImageSpec spec)
    {
        using var raw = new MemoryStream();
        using (var tar = new TarWriter(raw, TarEntryFormat.Pax, leaveOpen: true))
        {
            var directories = new SortedSet<string>(StringComparer.Ordinal) { "bin", "dev", "etc", "proc", "root", "sbin", "sys", "tmp", "usr", "usr/bin", "usr/sbin", "var" };
            var applets = Applets(spec.BusyboxPath).Where(a => a != "bin/busybox").ToArray();
            var files = spec.Files.Select(f => (Path: f.Path.TrimStart('/'), File: f)).ToArray();
            foreach (var path in applets.Concat(files.Select(f => f.Path)))
            {
                for (var dir = Path.GetDirectoryName(path); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
                {
                    directories.Add(dir);
                }
            }

            foreach (var dir in directories)
            {
                var mode = dir == "tmp"
                    ? UnixFileMode.StickyBit | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute
                    : Mode755;
                AddDirectory(tar, dir + "/", mode);
            }

            AddFile(tar, "bin/busybox", File.ReadAllBytes(spec.BusyboxPath), Mode755);
            var fileNames = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var applet in applets.Where(a => !fileNames.Contains(a)).Order(StringComparer.Ordinal))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, applet) { LinkName = "/bin/busybox", Mode = Mode755 | UnixFileMode.OtherWrite, ModificationTime = Epoch });
            }
            foreach (var (path, file) in files)
            {
                AddFile(tar, path, file.Content.ToArray(), file.Mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
            }
        }

        var tarBytes = raw.ToArray();
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tarBytes);
        }
        return (gz.ToArray(), Digest(tarBytes));
    }

    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>busybox's applets as relative paths (<c>bin/sh</c>, <c>usr/bin/wget</c>, …), from <c>busybox --list-full</c>.</summary>
    private static string[] Applets(string busybox)
    {
        lock (s_applets)
        {
            if (s_applets.TryGetValue(busybox, out var cached))
            {
                return cached;
            }
        }

        var info = new ProcessStartInfo(busybox) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--list-full");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot run {busybox}");
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{busybox} --list-full: exit {process.ExitCode}: {process.StandardError.ReadToEnd()} (is busybox-static installed?)");
        }

        var applets = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        lock (s_applets)
        {
            s_applets[busybox] = applets;
        }
        return applets;
    }

    private static void AddFile(TarWriter tar, string name, byte[] content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, ModificationTime = Epoch, DataStream = new MemoryStream(content, writable: false) };
        tar.WriteEntry(entry);
    }

    private static void AddDirectory(TarWriter tar, string name, UnixFileMode mode = Mode755) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = Epoch });

    private static JsonObject Descriptor(string mediaType, string digest, long size) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = digest,
        ["size"] = size,
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Hex(string digest) => digest["sha256:".Length..];

    /// <summary>Go's GOARCH for this machine, as image platforms name it.</summary>
    internal static string GoArch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        var a => a.ToString().ToLowerInvariant(),
    };
}
