using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using KubeProxyFast.Linux.Interop;
using Microsoft.Extensions.Logging;
using Tmds.Linux;

namespace KubeProxyFast.Dataplane.Relay;

/// <summary>
/// One epoll instance driven by one dedicated thread: the unit of parallelism of the proxy (as an
/// HAProxy thread or an nginx worker). Descriptors are registered edge-triggered; the epoll data
/// carries a slot and a generation, so an event that arrives for a slot already reused in the
/// same batch is recognised and dropped. Everything a loop owns is touched only on its thread;
/// other threads talk to it through <see cref="Post"/>.
/// </summary>
internal sealed unsafe partial class EventLoop : IDisposable
{
    private const int MaxEvents = 256;

    private readonly int _epfd;
    private readonly int _wakeFd;
    private readonly epoll_event* _events;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly List<ILoopSweeper> _sweepers = [];
    private readonly ILogger _logger;
    private readonly long _sweepInterval;
    private readonly long _busyPollTicks;
    private IEpollHandler?[] _handlers = new IEpollHandler?[1024];
    private uint[] _generations = new uint[1024];
    private int[] _freeSlots = new int[1024];
    private int _freeCount;
    private int _nextSlot = 1; // slot 0 is the wake-up eventfd
    private (IEpollHandler Handler, int Slot)[] _deferred = new (IEpollHandler, int)[256];
    private (IEpollHandler Handler, int Slot)[] _running = new (IEpollHandler, int)[256];
    private int _deferredCount;
    private volatile bool _stopping;
    private long _nextSweep;
    private long _lastWork;

    public EventLoop(int index, TimeSpan sweepInterval, TimeSpan busyPoll, bool ioUring, ILogger logger)
    {
        Index = index;
        _logger = logger;
        _sweepInterval = (long)(sweepInterval.TotalSeconds * Stopwatch.Frequency);
        _busyPollTicks = (long)(busyPoll.TotalSeconds * Stopwatch.Frequency);
        _epfd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (_epfd < 0)
        {
            throw new NativeCallException("epoll_create1", $"loop {index}", Errno.Last);
        }

        _wakeFd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (_wakeFd < 0)
        {
            throw new NativeCallException("eventfd", $"loop {index}", Errno.Last);
        }

        Control(LibC.EPOLL_CTL_ADD, _wakeFd, (uint)(LibC.EPOLLIN | LibC.EPOLLET), 0);
        _events = (epoll_event*)NativeMemory.Alloc(MaxEvents, (nuint)sizeof(epoll_event));
        var notBatching = StartBatching(ioUring);
        if (notBatching is null)
        {
            LoopLog.Batching(logger, index);
        }
        else
        {
            LoopLog.NotBatching(logger, index, notBatching);
        }

        Now = Stopwatch.GetTimestamp();
        _thread = new Thread(Run) { IsBackground = true, Name = $"kpf-loop-{index}" };
    }

    /// <summary>The loop's index, 0..N-1; selects its slice of the per-port counters.</summary>
    public int Index { get; }

    /// <summary>The Stopwatch timestamp at the start of the current batch of events.</summary>
    public long Now { get; private set; }

    /// <summary>True when called from this loop's thread.</summary>
    public bool IsOnLoopThread => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    public void Start() => _thread.Start();

    /// <summary>Adds a periodic sweeper (call before <see cref="Start"/> or on the loop thread).</summary>
    public void AddSweeper(ILoopSweeper sweeper) => _sweepers.Add(sweeper);

    /// <summary>Runs <paramref name="work"/> on the loop's thread (control path: allocates).</summary>
    public void Post(Action work)
    {
        _posted.Enqueue(work);
        ulong one = 1;
        _ = LibC.write(_wakeFd, &one, sizeof(ulong));
    }

    /// <summary>Registers <paramref name="fd"/> for <paramref name="events"/>; returns its slot.</summary>
    public int Register(int fd, IEpollHandler handler, uint events)
    {
        var slot = AllocateSlot(handler);
        var e = Event(events, slot);
        var rc = LibC.epoll_ctl(_epfd, LibC.EPOLL_CTL_ADD, fd, &e);
        if (rc != 0)
        {
            var errno = Errno.Last;
            Release(slot);
            throw new NativeCallException("epoll_ctl ADD", $"fd {fd}", errno);
        }

        return slot;
    }

    private int AllocateSlot(IEpollHandler handler)
    {
        var slot = _freeCount > 0 ? _freeSlots[--_freeCount] : _nextSlot++;
        if (slot >= _handlers.Length)
        {
            Array.Resize(ref _handlers, _handlers.Length * 2);
            Array.Resize(ref _generations, _generations.Length * 2);
            Array.Resize(ref _freeSlots, _freeSlots.Length * 2);
        }

        _handlers[slot] = handler;
        return slot;
    }

    /// <summary>
    /// Forgets a slot. The caller closes the descriptor, which removes it from epoll; events for
    /// it still queued in this batch carry the old generation and are dropped.
    /// </summary>
    public void Release(int slot)
    {
        _handlers[slot] = null;
        _generations[slot]++;
        _freeSlots[_freeCount++] = slot;
    }

    /// <summary>
    /// Asks for another <see cref="IEpollHandler.OnEvents"/> call after the current batch: a
    /// handler that stopped early for fairness would otherwise wait for an edge that never comes.
    /// </summary>
    public void Defer(IEpollHandler handler, int slot)
    {
        if (_deferredCount == _deferred.Length)
        {
            Array.Resize(ref _deferred, _deferred.Length * 2);
            Array.Resize(ref _running, _deferred.Length);
        }

        _deferred[_deferredCount++] = (handler, slot);
    }

    public void Stop()
    {
        _stopping = true;
        Post(static () => { });
    }

    public void Dispose()
    {
        Stop();
        if (_thread.IsAlive && !IsOnLoopThread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        FlushBatch();
        StopBatching();
        NativeSocket.Close(_wakeFd);
        NativeSocket.Close(_epfd);
        NativeMemory.Free(_events);
    }

    private void Run()
    {
        _nextSweep = Stopwatch.GetTimestamp() + _sweepInterval;
        while (!_stopping)
        {
            // The batch runs first: what it completes may defer work, or queue more calls.
            FlushBatch();

            // Right after work, poll without sleeping for a moment: the next event usually follows
            // within microseconds, and a sleep costs a wake-up (measured: keep-alive 50.8k → 63.3k
            // req/s with 20 µs, bench/proxy/run.sh, 1 thread; an idle loop still sleeps).
            var busy = _deferredCount > 0 || !_posted.IsEmpty || BatchHasWork || Stopwatch.GetTimestamp() - _lastWork < _busyPollTicks;
            var timeout = busy ? 0 : SweepTimeoutMs();
            var n = LibC.epoll_wait(_epfd, _events, MaxEvents, timeout);
            Now = Stopwatch.GetTimestamp();
            if (n > 0)
            {
                _lastWork = Now;
            }
            if (n < 0)
            {
                var errno = Errno.Last;
                if (errno != Errno.EINTR)
                {
                    LoopLog.WaitFailed(_logger, Index, Errno.Name(errno));
                    Thread.Sleep(10);
                }

                continue;
            }

            for (var i = 0; i < n; i++)
            {
                Dispatch(_events[i]);
            }

            RunDeferred();
            RunPosted();
            if (Now >= _nextSweep)
            {
                _nextSweep = Now + _sweepInterval;
                foreach (var sweeper in _sweepers)
                {
                    Guard(sweeper);
                }
            }
        }

        // What the last iteration queued (the closes of a shutdown) still runs.
        FlushBatch();
    }

    private void Dispatch(in epoll_event e)
    {
        var token = e.data.u64;
        var slot = (int)(uint)token;
        if (slot == 0)
        {
            ulong drained;
            _ = LibC.read(_wakeFd, &drained, sizeof(ulong));
            return;
        }

        var handler = _handlers[slot];
        if (handler is null || _generations[slot] != (uint)(token >> 32))
        {
            return;
        }

        try
        {
            handler.OnEvents(slot, (uint)e.events);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LoopLog.HandlerFailed(_logger, ex, Index);
        }
    }

    private void RunDeferred()
    {
        // Run a snapshot: handlers deferred while these run (a listener still full, a relay at
        // its fairness cap) go to the other array and run in the next iteration.
        (_deferred, _running) = (_running, _deferred);
        var count = _deferredCount;
        _deferredCount = 0;
        for (var i = 0; i < count; i++)
        {
            var (handler, slot) = _running[i];
            _running[i] = default;
            if (ReferenceEquals(_handlers[slot], handler))
            {
                try
                {
                    handler.OnEvents(slot, 0);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LoopLog.HandlerFailed(_logger, ex, Index);
                }
            }
        }
    }

    private void RunPosted()
    {
        while (_posted.TryDequeue(out var work))
        {
            try
            {
                work();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LoopLog.HandlerFailed(_logger, ex, Index);
            }
        }
    }

    private void Guard(ILoopSweeper sweeper)
    {
        try
        {
            sweeper.Sweep(Now);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LoopLog.HandlerFailed(_logger, ex, Index);
        }
    }

    private int SweepTimeoutMs()
    {
        var remaining = _nextSweep - Stopwatch.GetTimestamp();
        return remaining <= 0 ? 0 : (int)Math.Min(1000, (remaining * 1000 / Stopwatch.Frequency) + 1);
    }

    private void Control(int op, int fd, uint events, int slot)
    {
        var e = Event(events, slot);
        if (LibC.epoll_ctl(_epfd, op, fd, &e) != 0)
        {
            throw new NativeCallException("epoll_ctl", $"fd {fd}", Errno.Last);
        }
    }

    private epoll_event Event(uint events, int slot)
    {
        epoll_event e = default;
        e.events = (int)events;
        e.data.u64 = ((ulong)_generations[slot] << 32) | (uint)slot;
        return e;
    }
}
