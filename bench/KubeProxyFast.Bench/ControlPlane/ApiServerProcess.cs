using System.Diagnostics;
using System.Globalization;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>A child process of this binary running <see cref="ApiServerHostCommand"/>; disposing it stops it.</summary>
internal sealed class ApiServerProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    private ApiServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <c>apiserver-host</c> with <paramref name="storeArgs"/> and waits for its URL.</summary>
    public static async Task<ApiServerProcess> StartAsync(string[] storeArgs, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Run as `dotnet KubeProxyFast.Bench.dll`, the host needs the dll again; as the apphost it does not.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ApiServerProcess).Assembly.Location);
        }

        info.ArgumentList.Add("apiserver-host");
        foreach (var arg in storeArgs)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                ?? throw new InvalidOperationException("apiserver-host exited before listening (its stderr is above)");
            return new ApiServerProcess(process, new Uri(line["listening ".Length..]));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>VmRSS and VmHWM of the process in bytes, from /proc/PID/status.</summary>
    /// <summary>CPU time the process has used (user + system), from /proc/PID/stat.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        // USER_HZ is 100 on Linux.
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    public Dictionary<string, object> Memory()
    {
        var memory = new Dictionary<string, object>();
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal) || line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                memory[line[..5].ToLowerInvariant() + "_bytes"] = kb * 1024;
            }
        }

        return memory;
    }

    /// <summary>Closes its stdin (it stops and exits); kills it when that takes more than 10 s.</summary>
    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
