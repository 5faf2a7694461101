using System.Text;
using Grpc.Core;
using KubeProxyFast.Kubelet.Cri.V1;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>
/// An exec probe: the command runs in the container through CRI <c>ExecSync</c> with the probe's
/// timeout; exit code 0 is success, any other code or the timeout a failure. The message is the
/// command's stdout then stderr, cut at <see cref="MaxOutputBytes"/> as Kubernetes does.
/// </summary>
public sealed class ExecProber
{
    /// <summary>Most output kept for the message (Kubernetes' 10 KiB).</summary>
    public const int MaxOutputBytes = 10 * 1024;

    // The runtime kills the command at the timeout and then answers; this is how long beyond the
    // timeout we wait for that answer before giving up on the call (Kubernetes waits its whole
    // runtime request timeout, 2 min; a probe worker should not be held that long).
    private static readonly TimeSpan CleanupSlack = TimeSpan.FromSeconds(10);

    private readonly RuntimeService.RuntimeServiceClient _runtime;

    /// <summary>An exec prober calling <paramref name="runtime"/>.</summary>
    public ExecProber(RuntimeService.RuntimeServiceClient runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
    }

    /// <summary>Runs <paramref name="command"/> in container <paramref name="containerId"/>, for at most <paramref name="timeout"/>.</summary>
    public async Task<ProbeResult> ProbeAsync(string containerId, IReadOnlyList<string>? command, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        if (command is null || command.Count == 0)
        {
            return ProbeResult.Failure("exec probe has no command");
        }

        var seconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds));
        var request = new ExecSyncRequest { ContainerId = containerId, Timeout = seconds };
        request.Cmd.AddRange(command);
        ExecSyncResponse response;
        try
        {
            response = await _runtime.ExecSyncAsync(request, deadline: DateTime.UtcNow + TimeSpan.FromSeconds(seconds) + CleanupSlack, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded || IsRuntimeTimeout(e))
        {
            return ProbeResult.Failure($"command timed out after {seconds}s: {Describe(command)}");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (RpcException e)
        {
            // The runtime could not run it (container gone, runtime down): not the container's verdict.
            return ProbeResult.Unknown($"exec {Describe(command)} in {containerId}: {e.Status.StatusCode}: {e.Status.Detail}");
        }

        var output = Output(response);
        if (response.ExitCode == 0)
        {
            return ProbeResult.Success(output);
        }

        return ProbeResult.Failure(output.Length > 0 ? output : $"command {Describe(command)} exited with {response.ExitCode}");
    }

    /// <summary>stdout then stderr, at most <see cref="MaxOutputBytes"/> bytes of them, as text.</summary>
    internal static string Output(ExecSyncResponse response)
    {
        var stdout = response.Stdout.Span;
        var stderr = response.Stderr.Span;
        var buffer = new byte[Math.Min(MaxOutputBytes, stdout.Length + stderr.Length)];
        var n = Math.Min(stdout.Length, buffer.Length);
        stdout[..n].CopyTo(buffer);
        stderr[..Math.Min(stderr.Length, buffer.Length - n)].CopyTo(buffer.AsSpan(n));
        return Encoding.UTF8.GetString(buffer);
    }

    // containerd reports its own exec timeout as "timeout 1s exceeded: context deadline exceeded",
    // with DeadlineExceeded in current releases and Unknown in some older ones.
    private static bool IsRuntimeTimeout(RpcException e) =>
        e.Status.Detail.Contains("deadline exceeded", StringComparison.OrdinalIgnoreCase) ||
        (e.Status.Detail.Contains("timeout", StringComparison.OrdinalIgnoreCase) && e.Status.Detail.Contains("exceeded", StringComparison.OrdinalIgnoreCase));

    private static string Describe(IReadOnlyList<string> command) => "[" + string.Join(' ', command) + "]";
}
