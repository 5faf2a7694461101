using System.Runtime.InteropServices;

namespace KubeProxyFast.Dataplane.Relay;

/// <summary>
/// Fixed-size relay buffers in native memory, owned by one event loop (no locks, no GC, never
/// moved). A flow holds a buffer only while bytes are in flight; an idle connection holds none,
/// so 10,000 idle connections cost no buffer memory.
/// </summary>
internal sealed unsafe class NativeBufferPool : IDisposable
{
    private readonly int _maxPooled;
    private nint[] _free;
    private int _count;
    private nint[] _held = new nint[16];
    private int _heldCount;

    public NativeBufferPool(int bufferSize, int maxPooled)
    {
        BufferSize = bufferSize;
        _maxPooled = maxPooled;
        _free = new nint[Math.Min(maxPooled, 64)];
    }

    public int BufferSize { get; }

    public byte* Rent()
    {
        return _count > 0 ? (byte*)_free[--_count] : (byte*)NativeMemory.AlignedAlloc((nuint)BufferSize, 64);
    }

    public void Return(byte* buffer)
    {
        if (_count == _maxPooled)
        {
            NativeMemory.AlignedFree(buffer);
            return;
        }

        if (_count == _free.Length)
        {
            Array.Resize(ref _free, Math.Min(_maxPooled, _free.Length * 2));
        }

        _free[_count++] = (nint)buffer;
    }

    /// <summary>
    /// Keeps <paramref name="buffer"/> out of the pool until <see cref="ReleaseHeld"/>: a queued
    /// send still points into it.
    /// </summary>
    public void Hold(byte* buffer)
    {
        if (_heldCount == _held.Length)
        {
            Array.Resize(ref _held, _held.Length * 2);
        }

        _held[_heldCount++] = (nint)buffer;
    }

    /// <summary>Returns the held buffers to the pool (their sends have run).</summary>
    public void ReleaseHeld()
    {
        while (_heldCount > 0)
        {
            Return((byte*)_held[--_heldCount]);
        }
    }

    public void Dispose()
    {
        ReleaseHeld();
        while (_count > 0)
        {
            NativeMemory.AlignedFree((void*)_free[--_count]);
        }
    }
}
