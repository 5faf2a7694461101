namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// One run of a <see cref="WatchCache"/>'s store watch, as its watchers see it: a signal for the
/// next change, and the end of the run (the cache restarts or stops; its watchers end with it).
/// Signals are taken under the cache's lock; the end is published outside it, to a feed no
/// writer holds any more.
/// </summary>
internal sealed class WatchFeed
{
    private bool _ended;

    /// <summary>Completes at the next change or at the end of the run.</summary>
    public TaskCompletionSource Changed { get; private set; } = NewSignal();

    /// <summary>The run ended: watchers of it end, with <see cref="Reason"/> if there is one.</summary>
    public bool Ended => Volatile.Read(ref _ended);

    /// <summary>Why the run ended (the store watch failed); null when the cache stopped.</summary>
    public Exception? Reason { get; private set; }

    /// <summary>The signal to complete for a change just published; later readers wait for the next one.</summary>
    public TaskCompletionSource TakeChanged()
    {
        var changed = Changed;
        Changed = NewSignal();
        return changed;
    }

    /// <summary>Ends the run and wakes its watchers.</summary>
    public void End(Exception? reason)
    {
        // Reason first: a watcher that sees Ended without the cache's lock must see why.
        Reason = reason;
        Volatile.Write(ref _ended, true);
        Changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
