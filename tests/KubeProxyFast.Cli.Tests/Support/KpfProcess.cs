using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Support;

/// <summary>A <c>kpf</c> child process (the build beside the tests), its stdout and stderr lines collected as they come; killed when disposed if still running.</summary>
internal sealed class KpfProcess : IDisposable
{
    private static readonly string Kpf = Path.Combine(AppContext.BaseDirectory, "kpf.dll");

    private readonly Process _process;

    private KpfProcess(Process process) => _process = process;

    /// <summary>Lines written to stdout so far.</summary>
    public ConcurrentQueue<string> Stdout { get; } = new();

    /// <summary>Lines written to stderr so far.</summary>
    public ConcurrentQueue<string> Stderr { get; } = new();

    public static KpfProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Kpf, .. args])
        {
            start.ArgumentList.Add(a);
        }

        var kpf = new KpfProcess(Process.Start(start)!);
        kpf._process.OutputDataReceived += (_, e) => Collect(kpf.Stdout, e.Data);
        kpf._process.ErrorDataReceived += (_, e) => Collect(kpf.Stderr, e.Data);
        kpf._process.BeginOutputReadLine();
        kpf._process.BeginErrorReadLine();
        return kpf;
    }

    /// <summary>Runs kpf to its end (bounded to a minute).</summary>
    public static ProcessResult Run(params string[] args) => ProcessResult.Run("dotnet", [Kpf, .. args]);

    /// <summary>Waits until a line of stdout (or of stderr, with <paramref name="stderr"/>) contains <paramref name="text"/>; returns it.</summary>
    public async Task<string> WaitForLineAsync(string text, bool stderr = false)
    {
        var lines = stderr ? Stderr : Stdout;
        await Eventually.True(() => lines.Any(l => l.Contains(text, StringComparison.Ordinal)) || _process.HasExited,
            $"kpf to write \"{text}\"", TimeSpan.FromSeconds(30));
        return lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"kpf exited ({_process.ExitCode}) without writing \"{text}\": {string.Join('\n', Stderr)}");
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT) to kpf.</summary>
    public void Signal(string signal) => ProcessResult.Run("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>Waits for kpf to exit (at most <paramref name="within"/>, else it is killed and this throws) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kpf did not exit within {within.TotalSeconds} s: {string.Join('\n', Stderr)}");
        }

        // WaitForExitAsync returns once the output is read to its end too.
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Collect(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
