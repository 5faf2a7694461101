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

/// <summary>Periodic housekeeping on a loop: idle timeouts, connect timeouts, drains.</summary>
internal interface ILoopSweeper
{
    /// <summary>Runs on the loop's thread every sweep interval; <paramref name="now"/> is a Stopwatch timestamp.</summary>
    void Sweep(long now);
}
