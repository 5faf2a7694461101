namespace KubeProxyFast.Dataplane.Proxier;

public sealed partial class ProxyEngine
{
    /// <summary>
    /// Bytes allocated so far by each event loop thread (GC.GetAllocatedBytesForCurrentThread,
    /// read on the loop itself). The difference over a run of traffic is what the hot path
    /// allocated; the zero-allocation tests and benchmarks read it.
    /// </summary>
    internal long[] LoopAllocatedBytes() => ReadOnEachLoop(static _ => GC.GetAllocatedBytesForCurrentThread());

    /// <summary>
    /// Pipes each event loop has created for splice(2) so far: none while every relay copies
    /// through buffers, so a test can tell which path a transfer took.
    /// </summary>
    internal long[] LoopPipesCreated() => ReadOnEachLoop(static context => context.Relays.Pipes.Created);

    /// <summary>Runs <paramref name="read"/> on every loop's own thread and waits for the answers.</summary>
    private long[] ReadOnEachLoop(Func<LoopContext, long> read)
    {
        // The loop only writes into preallocated arrays (signalling an event could allocate on
        // the loop and be counted); the caller polls.
        var result = new long[_loops.Length];
        var answered = new int[_loops.Length];
        for (var i = 0; i < _loops.Length; i++)
        {
            var index = i;
            var context = _loops[i];
            context.Loop.Post(() =>
            {
                result[index] = read(context);
                Volatile.Write(ref answered[index], 1);
            });
        }

        var deadline = Environment.TickCount64 + 10_000;
        while (Array.IndexOf(answered, 0) >= 0)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("an event loop did not answer within 10 s");
            }

            Thread.Sleep(1);
            Thread.MemoryBarrier();
        }

        return result;
    }
}
