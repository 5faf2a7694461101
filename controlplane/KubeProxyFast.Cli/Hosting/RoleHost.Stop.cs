using System.Diagnostics;

namespace KubeProxyFast.Cli.Hosting;

internal sealed partial class RoleHost
{
    /// <summary>Stops <paramref name="started"/> in reverse order within the deadline; false when any role failed to stop or was abandoned.</summary>
    private async Task<bool> StopAsync(List<IRole> started)
    {
        if (started.Count == 0)
        {
            return true;
        }

        LogStoppingAll(_logger, started.Count, _stopTimeout.TotalSeconds);
        using var deadline = new CancellationTokenSource(_stopTimeout);
        var clean = true;
        for (var i = started.Count - 1; i >= 0; i--)
        {
            clean &= await StopAsync(started[i], deadline).ConfigureAwait(false);
        }

        return clean;
    }

    private async Task<bool> StopAsync(IRole role, CancellationTokenSource deadline)
    {
        var begun = Stopwatch.GetTimestamp();
        var late = deadline.IsCancellationRequested;
        Task stop;
        try
        {
            stop = role.StopAsync(deadline.Token);
        }
        catch (Exception e)
        {
            stop = Task.FromException(e);
        }

        try
        {
            await (late ? stop.WaitAsync(AfterDeadlineStopTimeout) : stop.WaitAsync(deadline.Token)).ConfigureAwait(false);
            var took = Stopwatch.GetElapsedTime(begun);
            LogStopped(_logger, role.Name, took.TotalMilliseconds);
            return true;
        }
        catch (Exception) when (!stop.IsCompleted)
        {
            // The wait ended, not the stop: the role is left to the process's exit.
            var took = Stopwatch.GetElapsedTime(begun);
            LogAbandoned(_logger, role.Name, took.TotalSeconds, late ? "was reached before it" : "passed while it stopped");
            return false;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var took = Stopwatch.GetElapsedTime(begun);
            LogCutShort(_logger, role.Name, took.TotalSeconds);
            return false;
        }
        catch (Exception e)
        {
            LogStopFailed(_logger, role.Name, e);
            return false;
        }
    }
}
