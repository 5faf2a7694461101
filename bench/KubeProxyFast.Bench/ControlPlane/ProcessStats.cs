using System.Globalization;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>What /proc says of a child process: its CPU time and its memory.</summary>
internal static class ProcessStats
{
    /// <summary>CPU time the process has used (user + system), from /proc/PID/stat.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        // USER_HZ is 100 on Linux.
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>VmRSS and VmHWM of the process in bytes, from /proc/PID/status.</summary>
    public static Dictionary<string, object> Memory(int pid)
    {
        var memory = new Dictionary<string, object>();
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal) || line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                memory[line[..5].ToLowerInvariant() + "_bytes"] = kb * 1024;
            }
        }

        return memory;
    }
}
