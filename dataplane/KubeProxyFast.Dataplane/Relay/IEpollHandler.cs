namespace KubeProxyFast.Dataplane.Relay;

/// <summary>Something with file descriptors registered in an <see cref="EventLoop"/>.</summary>
internal interface IEpollHandler
{
    /// <summary>
    /// Readiness reported by epoll for the descriptor registered under <paramref name="slot"/>
    /// (or a deferred retry, with <paramref name="events"/> = 0). Runs on the loop's thread.
    /// </summary>
    void OnEvents(int slot, uint events);
}

/// <summary>A handler that queues calls in its loop's batch (<see cref="EventLoop.RegisterLater"/>, <see cref="EventLoop.SendLater"/>).</summary>
internal interface IBatchHandler : IEpollHandler
{
    /// <summary>
    /// The kernel refused the registration of the descriptor under <paramref name="slot"/>
    /// (<paramref name="errno"/>, e.g. ENOSPC past fs.epoll.max_user_watches); it will never see events.
    /// </summary>
    void OnRegistrationFailed(int slot, int errno);

    /// <summary>
    /// A send queued for the descriptor under <paramref name="slot"/> ran: <paramref name="result"/>
    /// is the bytes sent, or minus the errno (-EAGAIN: the socket's buffer was full).
    /// </summary>
    void OnSendCompleted(int slot, int result);
}

/// <summary>Told when a loop's batch has run: memory the batch's entries pointed to can be reused.</summary>
internal interface IBatchListener
{
    void AfterBatch();
}

/// <summary>Periodic housekeeping on a loop: idle timeouts, connect timeouts, drains.</summary>
internal interface ILoopSweeper
{
    /// <summary>Runs on the loop's thread every sweep interval; <paramref name="now"/> is a Stopwatch timestamp.</summary>
    void Sweep(long now);
}
