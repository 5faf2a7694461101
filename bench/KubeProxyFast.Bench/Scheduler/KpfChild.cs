using System.Diagnostics;
using KubeProxyFast.Bench.ControlPlane;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// One <c>kpf</c> process (<c>kpf.dll</c> under dotnet, or a native build) running a role, its
/// output kept (the last lines, for errors); stopped with SIGTERM, killed when that hangs.
/// </summary>
internal sealed class KpfChild : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _lines = new();

    private KpfChild(Process process, string role)
    {
        _process = process;
        Role = role;
    }

    public string Role { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <c>kpf <paramref name="args"/></c> with <paramref name="kpf"/> (a .dll runs under dotnet).</summary>
    public static KpfChild Start(string kpf, params string[] args)
    {
        var jit = kpf.EndsWith(".dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo(jit ? "dotnet" : kpf) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[.. jit ? [kpf] : Array.Empty<string>(), .. args])
        {
            info.ArgumentList.Add(arg);
        }

        var child = new KpfChild(Process.Start(info)!, args[0]);
        child._process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first kept line containing <paramref name="text"/>, once written; fails when the process exits first or after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (_lines)
            {
                if (_lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"kpf {Role} exited ({_process.ExitCode}) before writing \"{text}\":\n{Output()}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"kpf {Role} did not write \"{text}\" within {timeout.TotalSeconds} s:\n{Output()}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Fails when the process has exited.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"kpf {Role} exited ({_process.ExitCode}):\n{Output()}");
        }
    }

    /// <summary>The last lines it wrote (stdout and stderr).</summary>
    public string Output()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }

    public TimeSpan CpuTime() => ProcessStats.CpuTime(Pid);

    public Dictionary<string, object> Memory() => ProcessStats.Memory(Pid);

    /// <summary>SIGTERM, then a kill after 20 s.</summary>
    public async ValueTask DisposeAsync()
    {
        await ChildProcess.TerminateAsync(_process, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
    }
}
