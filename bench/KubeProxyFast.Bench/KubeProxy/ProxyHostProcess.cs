using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using KubeProxyFast.Bench.ControlPlane;

namespace KubeProxyFast.Bench.KubeProxy;

/// <summary>A child process of this binary running <see cref="ProxyHostCommand"/>: its ready line, then its latencies as they come.</summary>
internal sealed class ProxyHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<TimeSpan> _applied = Channel.CreateUnbounded<TimeSpan>();

    private ProxyHostProcess(Process process, int servicePorts)
    {
        _process = process;
        ServicePorts = servicePorts;
        _ = Task.Run(ReadLatenciesAsync);
    }

    /// <summary>Service ports served after the first sync.</summary>
    public int ServicePorts { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <c>proxy-host</c> and waits (at most <paramref name="timeout"/>) until its first sync is applied.</summary>
    public static async Task<ProxyHostProcess> StartAsync(Uri master, string mode, TimeSpan minSyncPeriod, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ProxyHostProcess).Assembly.Location);
        }

        foreach (var arg in (string[])["proxy-host", "--master", master.ToString(), "--mode", mode,
            "--min-sync-period-ms", ((long)minSyncPeriod.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            var line = await process.StandardOutput.ReadLineAsync(cancel.Token).ConfigureAwait(false)
                ?? throw new InvalidOperationException("proxy-host exited before its first sync (its stderr is above)");
            return new ProxyHostProcess(process, int.Parse(line["ready ".Length..], CultureInfo.InvariantCulture));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>The next applied change's latency, or null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<TimeSpan?> NextAppliedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _applied.Reader.ReadAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public TimeSpan CpuTime() => ProcessStats.CpuTime(Pid);

    public Dictionary<string, object> Memory() => ProcessStats.Memory(Pid);

    /// <summary>Closes its stdin (it stops, deleting its rules); kills it when that takes more than 20 s.</summary>
    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private async Task ReadLatenciesAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("applied ", StringComparison.Ordinal))
            {
                _applied.Writer.TryWrite(TimeSpan.FromMicroseconds(long.Parse(line.AsSpan(8), CultureInfo.InvariantCulture)));
            }
        }

        _applied.Writer.TryComplete();
    }
}
