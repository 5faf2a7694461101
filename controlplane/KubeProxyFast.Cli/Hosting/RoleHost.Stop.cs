using System.Diagnostics;

namespace KubeProxyFast.Cli.Hosting;

internal sealed partial class RoleHost
{
    /// <summary>
    /// Stops <paramref name="started"/> in reverse order within the deadline; false when any role
    /// failed to stop or was abandoned (still stopping when the host stopped waiting for it).
    /// </summary>
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
        Task stop;
        try
        {
            stop = role.StopAsync(deadline.Token);
        }
        catch (Exception e)
        {
            stop = Task.FromException(e);
        }

        // Until the deadline the role stops gracefully; from then on its token tells it to release
        // what it holds at once, and it gets AfterDeadlineStopTimeout to.
        await Task.WhenAny(stop, Task.Delay(Timeout.InfiniteTimeSpan, deadline.Token)).ConfigureAwait(false);
        var inTime = stop.IsCompleted;
        try
        {
            await stop.WaitAsync(AfterDeadlineStopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!stop.IsCompleted)
        {
            // The role is left to the process's exit.
            var waited = Stopwatch.GetElapsedTime(begun);
            LogAbandoned(_logger, role.Name, waited.TotalSeconds);
            return false;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // It gave up what was left of its graceful stop at the deadline, as its token asked.
        }
        catch (Exception e)
        {
            LogStopFailed(_logger, role.Name, e.Message, e);
            return false;
        }

        var took = Stopwatch.GetElapsedTime(begun);
        if (inTime)
        {
            LogStopped(_logger, role.Name, took.TotalMilliseconds);
        }
        else
        {
            LogCutShort(_logger, role.Name, took.TotalSeconds);
        }

        return true;
    }
}
