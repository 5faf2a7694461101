using System.Diagnostics;
using System.Globalization;
using KubeProxyFast.Bench.ControlPlane;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// CPU used over one phase by each named process, by this benchmark process (the creators and the
/// watch), and by the whole machine (/proc/stat: everything not idle), so what the others on the
/// machine took shows too.
/// </summary>
internal sealed class CpuMeter
{
    private readonly Dictionary<string, int> _pids;
    private readonly Dictionary<string, TimeSpan> _start = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly (long Busy, long Total) _machine = Machine();
    private readonly TimeSpan _self = Process.GetCurrentProcess().TotalProcessorTime;

    public CpuMeter(Dictionary<string, int> pids)
    {
        _pids = pids;
        foreach (var (name, pid) in pids)
        {
            _start[name] = ProcessStats.CpuTime(pid);
        }
    }

    /// <summary>Per process: CPU seconds and the share of one core over the phase; then the benchmark's own and the machine's (share of all cores).</summary>
    public Dictionary<string, object> Stop()
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var result = new Dictionary<string, object> { ["seconds"] = seconds };
        foreach (var (name, pid) in _pids)
        {
            var used = (ProcessStats.CpuTime(pid) - _start[name]).TotalSeconds;
            result[name + "_cpu_s"] = used;
            result[name + "_cores"] = used / seconds;
        }

        var self = (Process.GetCurrentProcess().TotalProcessorTime - _self).TotalSeconds;
        result["bench_cpu_s"] = self;
        result["bench_cores"] = self / seconds;
        var (busy, total) = Machine();
        result["machine_busy_share"] = (double)(busy - _machine.Busy) / Math.Max(1, total - _machine.Total);
        return result;
    }

    /// <summary>Busy and total jiffies of all cores (/proc/stat: user nice system idle iowait irq softirq steal).</summary>
    private static (long Busy, long Total) Machine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..9]
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = cpu.Sum();
        return (total - cpu[3] - cpu[4], total);
    }
}
