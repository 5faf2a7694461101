using System.Diagnostics;
using Tmds.Linux;

namespace KubeProxyFast.Testing;

/// <summary>Stopping a child process the way an operator would: SIGTERM first, a kill only when it hangs.</summary>
public static class ChildProcess
{
    /// <summary>
    /// Sends SIGTERM and waits up to <paramref name="grace"/> for <paramref name="process"/> to
    /// exit; kills its process tree if it is still running then. True when it exited by itself.
    /// </summary>
    public static async Task<bool> TerminateAsync(Process process, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.HasExited)
        {
            return true;
        }

        _ = LibC.kill(process.Id, LibC.SIGTERM);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            return false;
        }
    }
}
