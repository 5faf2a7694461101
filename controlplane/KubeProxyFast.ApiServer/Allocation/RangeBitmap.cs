namespace KubeProxyFast.ApiServer.Allocation;

/// <summary>
/// Which offsets of a range this apiserver believes taken. It is a cache of the store's
/// allocation keys: the store's create-if-absent on the key is what decides, so a stale bit
/// costs a retry, never a duplicate.
/// </summary>
internal sealed class RangeBitmap
{
    private readonly ulong[] _bits;
    private readonly Lock _lock = new();
    private int _used;

    public RangeBitmap(int size)
    {
        Size = size;
        _bits = new ulong[(size + 63) / 64];
    }

    /// <summary>Number of offsets.</summary>
    public int Size { get; }

    public bool IsSet(int offset)
    {
        lock (_lock)
        {
            return (_bits[offset >> 6] & (1UL << offset)) != 0;
        }
    }

    public void Set(int offset)
    {
        lock (_lock)
        {
            ref var word = ref _bits[offset >> 6];
            if ((word & (1UL << offset)) == 0)
            {
                word |= 1UL << offset;
                _used++;
            }
        }
    }

    public void Clear(int offset)
    {
        lock (_lock)
        {
            ref var word = ref _bits[offset >> 6];
            if ((word & (1UL << offset)) != 0)
            {
                word &= ~(1UL << offset);
                _used--;
            }
        }
    }

    /// <summary>
    /// Marks and returns a free offset, scanning from a random start (as Kubernetes' random-scan
    /// allocator) so that concurrent creates rarely pick the same one; -1 when the range is full.
    /// </summary>
    public int TakeFree(int start)
    {
        lock (_lock)
        {
            if (_used >= Size)
            {
                return -1;
            }

            for (var i = 0; i < Size; i++)
            {
                var offset = (start + i) % Size;
                ref var word = ref _bits[offset >> 6];
                if ((word & (1UL << offset)) == 0)
                {
                    word |= 1UL << offset;
                    _used++;
                    return offset;
                }
            }

            return -1;
        }
    }
}
