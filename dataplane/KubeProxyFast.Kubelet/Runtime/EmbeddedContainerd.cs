using System.Diagnostics;
using KubeProxyFast.Kubelet.Cri;
using Microsoft.Extensions.Logging;
using Tmds.Linux;

namespace KubeProxyFast.Kubelet.Runtime;

/// <summary>
/// The agent's own containerd (as k3s runs one): writes its config, starts <c>containerd --config</c>,
/// waits until the socket answers CRI <c>Version</c>, restarts it with a back-off (1 s doubling to
/// 30 s, reset after a stable run) whenever it dies, appends its output to
/// <see cref="ContainerdConfig.LogPath"/>, and stops it with SIGTERM then SIGKILL. Containers keep
/// running across a containerd restart (their shims own them), as with any containerd.
/// </summary>
public sealed partial class EmbeddedContainerd : IAsyncDisposable
{
    private readonly EmbeddedContainerdOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _logLock = new();
    private Process? _process;
    private Task? _supervisor;
    private StreamWriter? _log;
    private int _starts;

    /// <summary>A containerd to be started with <paramref name="config"/>.</summary>
    public EmbeddedContainerd(ContainerdConfig config, ILogger logger, EmbeddedContainerdOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logger);
        Config = config;
        _logger = logger;
        _options = options ?? new EmbeddedContainerdOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The settings it runs with.</summary>
    public ContainerdConfig Config { get; }

    /// <summary>The CRI endpoint, <c>unix://…/containerd.sock</c>.</summary>
    public string Endpoint => "unix://" + Config.SocketPath;

    /// <summary>The running containerd's pid; null while it is down.</summary>
    public int? ProcessId => _process is { } p && !p.HasExited ? p.Id : null;

    /// <summary>How many times containerd was started (1 after <see cref="StartAsync"/>, +1 per restart).</summary>
    public int Starts => Volatile.Read(ref _starts);

    /// <summary>
    /// Writes the config, starts containerd and waits until it answers CRI Version; throws
    /// <see cref="CriUnavailableException"/> with the end of its log when it exits or does not answer
    /// within <see cref="EmbeddedContainerdOptions.StartTimeout"/>. Then supervises it until stopped.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_supervisor is not null)
        {
            throw new InvalidOperationException("containerd is already started");
        }

        Config.Write();
        _log = new StreamWriter(new FileStream(Config.LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = Launch();
        try
        {
            await WaitReadyAsync(process, ct).ConfigureAwait(false);
        }
        catch
        {
            await TerminateAsync(process).ConfigureAwait(false);
            throw;
        }

        _supervisor = Task.Run(() => SuperviseAsync(process), CancellationToken.None);
    }

    /// <summary>Waits until the (possibly restarted) containerd answers CRI Version.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using var cri = CriConnection.Open(Endpoint);
        while (true)
        {
            try
            {
                await cri.CheckAsync(TimeSpan.FromSeconds(2), cts.Token).ConfigureAwait(false);
                return;
            }
            catch (CriUnavailableException) when (!cts.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new CriUnavailableException($"containerd at {Config.SocketPath} did not answer within {timeout.TotalSeconds:0} s; see {Config.LogPath}");
            }
        }
    }

    /// <summary>Stops supervising and stops containerd (SIGTERM, SIGKILL after the grace period).</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_supervisor is { } supervisor)
        {
            await supervisor.ConfigureAwait(false);
        }
        else if (_process is { } process)
        {
            await TerminateAsync(process).ConfigureAwait(false);
        }

        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private Process Launch()
    {
        var command = _options.LauncherPrefix.Concat([_options.ContainerdPath, "--config", Config.ConfigPath]).ToList();
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        process.StandardInput.Close();
        _process = process;
        Interlocked.Increment(ref _starts);
        WriteLog($"--- kpf: started {string.Join(' ', command)} (pid {process.Id}) at {_time.GetUtcNow():O}");
        _ = PumpAsync(process.StandardError);
        _ = PumpAsync(process.StandardOutput);
        Log.Started(_logger, process.Id, Config.SocketPath);
        return process;
    }

    private async Task WaitReadyAsync(Process process, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_options.StartTimeout);
        using var cri = CriConnection.Open(Endpoint);
        while (true)
        {
            if (process.HasExited)
            {
                throw new CriUnavailableException($"containerd exited with code {process.ExitCode} at start; its log {Config.LogPath} ends: {LogTail()}");
            }
            try
            {
                await cri.CheckAsync(TimeSpan.FromSeconds(2), cts.Token).ConfigureAwait(false);
                return;
            }
            catch (CriUnavailableException) when (!cts.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25), cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or CriUnavailableException && !ct.IsCancellationRequested)
            {
                throw new CriUnavailableException($"containerd at {Config.SocketPath} did not answer within {_options.StartTimeout.TotalSeconds:0} s; its log {Config.LogPath} ends: {LogTail()}");
            }
        }
    }

    private async Task SuperviseAsync(Process first)
    {
        var delay = _options.InitialRestartDelay;
        var stop = _stopping.Token;
        Process? process = first;
        while (true)
        {
            if (process is not null)
            {
                var started = _time.GetTimestamp();
                try
                {
                    await process.WaitForExitAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await TerminateAsync(process).ConfigureAwait(false);
                    return;
                }

                var code = process.ExitCode;
                _process = null;
                process.Dispose();
                if (_time.GetElapsedTime(started) >= _options.StableRun)
                {
                    delay = _options.InitialRestartDelay;
                }

                WriteLog($"--- kpf: containerd exited with code {code}; restarting in {delay.TotalSeconds:0.#} s");
                Log.Died(_logger, code, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRestartDelay.Ticks));
            try
            {
                Config.Write();
                process = Launch();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                // Try again after the next back-off step.
                Log.RestartFailed(_logger, e.Message);
                process = null;
            }
        }
    }

    private async Task TerminateAsync(Process process)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }
            _ = LibC.kill(process.Id, LibC.SIGTERM);
            using var grace = new CancellationTokenSource(_options.StopGracePeriod);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
            WriteLog($"--- kpf: containerd stopped (exit code {process.ExitCode})");
            Log.Stopped(_logger, process.ExitCode);
        }
        finally
        {
            if (ReferenceEquals(_process, process))
            {
                _process = null;
            }
            process.Dispose();
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                WriteLog(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process is gone and its pipe with it.
        }
    }

    private void WriteLog(string line)
    {
        lock (_logLock)
        {
            _log?.WriteLine(line);
        }
    }

    private string LogTail()
    {
        try
        {
            using var stream = new FileStream(Config.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Max(0, stream.Length - 2000), SeekOrigin.Begin);
            return new StreamReader(stream).ReadToEnd().Trim();
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "containerd started (pid {Pid}), socket {Socket}")]
        public static partial void Started(ILogger logger, int pid, string socket);

        [LoggerMessage(2, LogLevel.Warning, "containerd exited with code {Code}; restarting in {Delay} s")]
        public static partial void Died(ILogger logger, int code, double delay);

        [LoggerMessage(3, LogLevel.Error, "containerd could not be restarted: {Reason}")]
        public static partial void RestartFailed(ILogger logger, string reason);

        [LoggerMessage(4, LogLevel.Information, "containerd stopped (exit code {Code})")]
        public static partial void Stopped(ILogger logger, int code);
    }
}
