using System.Diagnostics;

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

    /// <summary>CPU time the process has used (user + system).</summary>
    public TimeSpan CpuTime() => ProcessStats.CpuTime(Pid);

    /// <summary>VmRSS and VmHWM of the process in bytes.</summary>
    public Dictionary<string, object> Memory() => ProcessStats.Memory(Pid);

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
