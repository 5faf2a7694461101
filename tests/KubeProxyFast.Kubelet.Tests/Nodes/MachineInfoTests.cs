using System.Diagnostics;
using System.Globalization;
using KubeProxyFast.Kubelet.Nodes;

namespace KubeProxyFast.Kubelet.Tests.Nodes;

public sealed class MachineInfoTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kpf-machine-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string text)
    {
        var full = Path.Join(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public void Read_FilesUnderARoot_GivesTheirValues()
    {
        Write("sys/devices/system/cpu/online", "0-3,6,8-9\n");
        Write("proc/meminfo", "MemTotal:       16384000 kB\nMemFree:         1000 kB\n");
        Write("proc/sys/kernel/osrelease", "6.1.0-28-amd64\n");
        Write("etc/os-release", "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");
        Write("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        Write("proc/sys/kernel/random/boot_id", "b1a7c0de-0000-4000-8000-000000000001\n");

        var machine = MachineInfo.Read(_root, _root);

        Assert.Equal(7, machine.CpuCount);
        Assert.Equal(16384000L * 1024, machine.MemoryBytes);
        Assert.Equal("6.1.0-28-amd64", machine.KernelVersion);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", machine.OsImage);
        Assert.Equal("0123456789abcdef0123456789abcdef", machine.MachineId);
        Assert.Equal("b1a7c0de-0000-4000-8000-000000000001", machine.BootId);
        Assert.Equal("linux", machine.OperatingSystem);
    }

    [Fact]
    public void Read_NoMeminfo_FailsNamingTheFile()
    {
        var e = Assert.Throws<IOException>(() => MachineInfo.Read(_root, _root));
        Assert.Contains("meminfo", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingOptionalFiles_LeavesThemEmpty()
    {
        Write("proc/meminfo", "MemTotal: 2048 kB\n");

        var machine = MachineInfo.Read(_root, _root);

        Assert.Equal(2048L * 1024, machine.MemoryBytes);
        Assert.Equal("", machine.MachineId);
        Assert.Equal("", machine.BootId);
        Assert.Equal("Linux", machine.OsImage);
        Assert.Equal(Environment.ProcessorCount, machine.CpuCount);
    }

    [Theory]
    [InlineData("PRETTY_NAME='Alpine Linux v3.20'", "Alpine Linux v3.20")]
    [InlineData("PRETTY_NAME=Plain", "Plain")]
    [InlineData("PRETTY_NAME=\"A \\\"quoted\\\" one\"", "A \"quoted\" one")]
    public void ReadPrettyName_ShellQuoting_IsUndone(string line, string expected)
    {
        Write("etc/os-release", "ID=x\n" + line + "\n");
        Assert.Equal(expected, MachineInfo.ReadPrettyName(Path.Join(_root, "etc/os-release")));
    }

    [Fact]
    public void Read_ThisMachine_MatchesTheKernelAndStatvfs()
    {
        var machine = MachineInfo.Read(_root);

        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), machine.KernelVersion);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(), machine.BootId);
        Assert.True(machine.MemoryBytes > 0);
        Assert.True(machine.CpuCount >= 1);
        // stat -f: %b total data blocks, %S fundamental block size (statvfs f_blocks, f_frsize).
        var stat = Run("stat", "-f", "-c", "%b %S", _root).Split(' ');
        var expected = long.Parse(stat[0], CultureInfo.InvariantCulture) * long.Parse(stat[1], CultureInfo.InvariantCulture);
        Assert.Equal(expected, machine.EphemeralStorageBytes);
        Assert.Equal(Run("dpkg", "--print-architecture"), machine.Architecture);
    }

    [Fact]
    public void Read_NoDataDirectory_FailsNamingIt()
    {
        Write("proc/meminfo", "MemTotal: 2048 kB\n");
        var missing = Path.Join(_root, "nope");
        var e = Assert.Throws<IOException>(() => MachineInfo.Read(missing, _root));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
