using System.Diagnostics;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Proxier;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Dataplane.Relay;

/// <summary>
/// The TCP side of one event loop: the pool of relays, the list of open ones (swept for
/// timeouts and drains), and the loop's buffers and pipes. Loop thread only.
/// </summary>
internal sealed class TcpRelayManager : ILoopSweeper, IBatchListener, IDisposable
{
    private readonly Stack<TcpRelay> _pool = new();
    private readonly List<(IEpollHandler Listener, int Slot)> _waiting = [];
    private TcpRelay? _head;

    public TcpRelayManager(EventLoop loop, ProxyEngineOptions options, int maxOpen, ILogger logger)
    {
        MaxOpen = maxOpen;
        Loop = loop;
        Options = options;
        Logger = logger;
        Buffers = new NativeBufferPool(options.BufferSize, maxPooled: 4096);
        Pipes = new PipePool(maxPooled: 1024, pipeSize: options.SpliceChunk);
        ConnectTimeoutTicks = Ticks(options.ConnectTimeout);
        IdleTimeoutTicks = Ticks(options.IdleTimeout);
        DrainTicks = Ticks(options.DrainPeriod);
        loop.AddBatchListener(this);
    }

    public EventLoop Loop { get; }

    public ProxyEngineOptions Options { get; }

    public ILogger Logger { get; }

    public NativeBufferPool Buffers { get; }

    public PipePool Pipes { get; }

    public long ConnectTimeoutTicks { get; }

    public long IdleTimeoutTicks { get; }

    public long DrainTicks { get; }

    /// <summary>Open relays on this loop.</summary>
    public int OpenCount { get; private set; }

    /// <summary>The most relays this loop keeps open; listeners stop accepting at it.</summary>
    public int MaxOpen { get; }

    /// <summary>True when a listener must not accept now.</summary>
    public bool AtCapacity => OpenCount >= MaxOpen;

    /// <summary>A listener that stopped at capacity is called again as soon as a relay closes.</summary>
    public void WaitForCapacity(IEpollHandler listener, int slot) => _waiting.Add((listener, slot));

    /// <summary>Relays a client connection accepted on this loop.</summary>
    public void Accept(int clientFd, ServicePortRuntime port, in ClientAddress client)
    {
        var relay = _pool.TryPop(out var pooled) ? pooled : new TcpRelay(this);
        relay.Previous = null;
        relay.Next = _head;
        if (_head is not null)
        {
            _head.Previous = relay;
        }

        _head = relay;
        OpenCount++;
        relay.Start(clientFd, port, in client);
    }

    /// <summary>Called by a relay when it has closed.</summary>
    public void Return(TcpRelay relay)
    {
        if (relay.Previous is not null)
        {
            relay.Previous.Next = relay.Next;
        }
        else
        {
            _head = relay.Next;
        }

        if (relay.Next is not null)
        {
            relay.Next.Previous = relay.Previous;
        }

        relay.Previous = relay.Next = null;
        OpenCount--;
        _pool.Push(relay);
        if (_waiting.Count > 0)
        {
            foreach (var (listener, slot) in _waiting)
            {
                Loop.Defer(listener, slot);
            }

            _waiting.Clear();
        }
    }

    /// <summary>The loop's batch has run: buffers of relays closed with a send queued are free again.</summary>
    public void AfterBatch() => Buffers.ReleaseHeld();

    public void Sweep(long now)
    {
        var relay = _head;
        while (relay is not null)
        {
            // Read the successor first: sweeping may close (and unlink) this relay.
            var next = relay.Next;
            relay.Sweep(now);
            relay = next;
        }
    }

    /// <summary>Closes every open relay (engine shutdown).</summary>
    public void CloseAll()
    {
        while (_head is not null)
        {
            _head.Close(reset: false);
        }
    }

    public void Dispose()
    {
        Buffers.Dispose();
        Pipes.Dispose();
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
