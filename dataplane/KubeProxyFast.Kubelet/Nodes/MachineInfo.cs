using System.Globalization;
using System.Runtime.InteropServices;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// What the kubelet reports of its machine (cAdvisor's <c>MachineInfo</c> and the node's
/// <c>nodeInfo</c>): CPUs, memory, the size of the filesystem of the data directory, kernel,
/// OS image, machine and boot ids, architecture as Go names it. An immutable value, read once
/// at start (<see cref="Read"/>); the files are read under a root so tests can give their own.
/// </summary>
public sealed record MachineInfo
{
    /// <summary>Logical CPUs online.</summary>
    public int CpuCount { get; init; }

    /// <summary>Total memory in bytes (<c>MemTotal</c> of <c>/proc/meminfo</c>).</summary>
    public long MemoryBytes { get; init; }

    /// <summary>Size in bytes of the filesystem holding the data directory (statvfs: blocks × fragment size).</summary>
    public long EphemeralStorageBytes { get; init; }

    /// <summary>The running kernel's release (<c>/proc/sys/kernel/osrelease</c>), e.g. <c>6.1.0-28-amd64</c>.</summary>
    public string KernelVersion { get; init; } = "";

    /// <summary><c>PRETTY_NAME</c> of <c>/etc/os-release</c>, e.g. <c>Debian GNU/Linux 12 (bookworm)</c>.</summary>
    public string OsImage { get; init; } = "";

    /// <summary><c>/etc/machine-id</c> (or D-Bus's copy); empty when the machine has none.</summary>
    public string MachineId { get; init; } = "";

    /// <summary>The boot's random id (<c>/proc/sys/kernel/random/boot_id</c>): it changes when the machine reboots.</summary>
    public string BootId { get; init; } = "";

    /// <summary>The firmware's product UUID (<c>/sys/class/dmi/id/product_uuid</c>); empty when unreadable.</summary>
    public string SystemUuid { get; init; } = "";

    /// <summary>The CPU architecture as Go's GOARCH names it: <c>amd64</c>, <c>arm64</c>, …</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Always <c>linux</c>: the kubelet runs on Linux only.</summary>
    public string OperatingSystem { get; init; } = "linux";

    /// <summary>
    /// Reads the machine. <paramref name="dataDirectory"/> must exist (its filesystem's size is
    /// the ephemeral storage); <paramref name="root"/> prefixes every file read (<c>/</c> for the machine).
    /// </summary>
    /// <exception cref="IOException">A file the kubelet cannot do without (<c>/proc/meminfo</c>) is unreadable or malformed.</exception>
    public static MachineInfo Read(string dataDirectory, string root = "/")
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentException.ThrowIfNullOrEmpty(root);
        string At(string path) => Path.Join(root, path);
        return new MachineInfo
        {
            CpuCount = ReadCpuCount(At("sys/devices/system/cpu/online")),
            MemoryBytes = ReadMemTotal(At("proc/meminfo")),
            EphemeralStorageBytes = FilesystemSize(dataDirectory),
            KernelVersion = ReadLine(At("proc/sys/kernel/osrelease")) ?? "",
            OsImage = ReadPrettyName(At("etc/os-release")) ?? ReadPrettyName(At("usr/lib/os-release")) ?? "Linux",
            MachineId = ReadLine(At("etc/machine-id")) ?? ReadLine(At("var/lib/dbus/machine-id")) ?? "",
            BootId = ReadLine(At("proc/sys/kernel/random/boot_id")) ?? "",
            SystemUuid = ReadLine(At("sys/class/dmi/id/product_uuid")) ?? "",
            Architecture = GoArch(RuntimeInformation.OSArchitecture),
        };
    }

    /// <summary>Go's GOARCH name of <paramref name="architecture"/>, as <c>kubernetes.io/arch</c> carries it.</summary>
    public static string GoArch(System.Runtime.InteropServices.Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm or System.Runtime.InteropServices.Architecture.Armv6 => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// CPUs online from the kernel's list (<c>0-3,6,8-9</c>), as cAdvisor counts them; the
    /// runtime's count when the file is missing (a root without <c>/sys</c>).
    /// </summary>
    internal static int ReadCpuCount(string path)
    {
        var list = ReadLine(path);
        if (string.IsNullOrEmpty(list))
        {
            return Environment.ProcessorCount;
        }

        var count = 0;
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                count++;
                continue;
            }

            if (!int.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last) || last < first)
            {
                throw new IOException($"{path}: malformed CPU list \"{list}\"");
            }

            count += last - first + 1;
        }

        return count > 0 ? count : Environment.ProcessorCount;
    }

    /// <summary><c>MemTotal:  16384000 kB</c> in bytes.</summary>
    internal static long ReadMemTotal(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot read the machine's memory: {e.Message}", e);
        }

        foreach (var line in lines)
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[1] == "kB"
                && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
            {
                return kilobytes * 1024;
            }

            throw new IOException($"{path}: malformed line \"{line}\"");
        }

        throw new IOException($"{path}: no MemTotal line");
    }

    /// <summary>The value of <c>PRETTY_NAME=</c> in an os-release file, unquoted; null when absent.</summary>
    internal static string? ReadPrettyName(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                continue;
            }

            var value = line["PRETTY_NAME=".Length..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                // os-release(5): shell-style quoting; backslash escapes $, ", \ and `.
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)
                    .Replace("\\$", "$", StringComparison.Ordinal).Replace("\\`", "`", StringComparison.Ordinal);
            }

            return value.Length > 0 ? value : null;
        }

        return null;
    }

    /// <summary>The first line of a small file, trimmed; null when it is missing, unreadable or empty.</summary>
    private static string? ReadLine(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var line = reader.ReadLine()?.Trim();
            return string.IsNullOrEmpty(line) ? null : line;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Size of the filesystem holding <paramref name="directory"/> (statvfs <c>f_blocks × f_frsize</c>).</summary>
    private static long FilesystemSize(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new IOException($"{directory}: no such directory (the data directory is made before the machine is read)");
        }

        // On Unix DriveInfo is statvfs(2) of the path it is given, whatever mount it lies on.
        return new DriveInfo(directory).TotalSize;
    }
}
