namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>The open-addressing storage of <see cref="ClientIpAffinityTable"/>; callers hold the lock.</summary>
public sealed partial class ClientIpAffinityTable
{
    private const int InitialSlots = 16;

    // A table full of live clients would otherwise rescan all its slots for every new client.
    private static readonly TimeSpan FullReapInterval = TimeSpan.FromSeconds(1);

    private readonly int _maxSlots;
    private readonly ulong _seed;
    private Entry[] _slots;
    private int _count;
    private long _lastFullReap;
    private ulong _evictionRandom;

    /// <summary>The slot holding <paramref name="client"/>, or the complement of the empty slot where it would go.</summary>
    private int FindSlot(in ClientAddress client)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = (int)client.Hash(_seed) & mask;
        while (true)
        {
            ref var entry = ref slots[i];
            if (entry.Endpoint is null)
            {
                return ~i;
            }

            if (entry.Client.Equals(client))
            {
                return i;
            }

            i = (i + 1) & mask;
        }
    }

    private void Insert(int emptySlot, in ClientAddress client, BackendEndpoint endpoint, long now)
    {
        if (_count >= Capacity)
        {
            MakeRoom(now);
            emptySlot = ~FindSlot(client);
        }
        else if (_count >= _slots.Length * 3 / 4 && _slots.Length < _maxSlots)
        {
            Grow();
            emptySlot = ~FindSlot(client);
        }

        _slots[emptySlot] = new Entry { Client = client, LastUsed = now, Endpoint = endpoint };
        _count++;
    }

    private void MakeRoom(long now)
    {
        if (now - _lastFullReap >= _fullReapIntervalTicks && ReapExpired(now) > 0)
        {
            return;
        }

        EvictOldestOfSample();
    }

    private void EvictOldestOfSample()
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        _evictionRandom = Xorshift(_evictionRandom);
        var i = (int)(_evictionRandom >> 32) & mask;
        var victim = -1;
        var oldest = long.MaxValue;
        for (int scanned = 0, seen = 0; scanned < slots.Length && seen < EvictionSampleSize; scanned++, i = (i + 1) & mask)
        {
            if (slots[i].Endpoint is not null)
            {
                seen++;
                if (slots[i].LastUsed < oldest)
                {
                    oldest = slots[i].LastUsed;
                    victim = i;
                }
            }
        }

        RemoveAt(victim);
    }

    private int ReapExpired(long now)
    {
        _lastFullReap = now;
        var slots = _slots;
        var removed = 0;
        for (var i = 0; i < slots.Length;)
        {
            if (slots[i].Endpoint is not null && now - slots[i].LastUsed >= _timeoutTicks)
            {
                // Backward shift may pull a later entry into slot i, so look at i again. Entries it
                // moves into slots already passed come from slots already passed (the wrapped-around
                // start of the array), and those were live, so nothing expired is skipped.
                RemoveAt(i);
                removed++;
            }
            else
            {
                i++;
            }
        }

        return removed;
    }

    /// <summary>Empties <paramref name="slot"/> and shifts later entries of its probe run back (Knuth 6.4, Algorithm R).</summary>
    private void RemoveAt(int slot)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var hole = slot;
        var j = slot;
        while (true)
        {
            j = (j + 1) & mask;
            ref var entry = ref slots[j];
            if (entry.Endpoint is null)
            {
                break;
            }

            // The entry may fill the hole unless its home lies cyclically in (hole, j].
            var home = (int)entry.Client.Hash(_seed) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                slots[hole] = entry;
                hole = j;
            }
        }

        slots[hole] = default;
        _count--;
    }

    private void Grow()
    {
        var old = _slots;
        var slots = new Entry[old.Length * 2];
        var mask = slots.Length - 1;
        foreach (ref readonly var entry in old.AsSpan())
        {
            if (entry.Endpoint is not null)
            {
                var i = (int)entry.Client.Hash(_seed) & mask;
                while (slots[i].Endpoint is not null)
                {
                    i = (i + 1) & mask;
                }

                slots[i] = entry;
            }
        }

        _slots = slots;
    }

    private static ulong Xorshift(ulong x)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    }

    /// <summary>One client's pin; an empty slot has a null <see cref="Endpoint"/>.</summary>
    private struct Entry
    {
        public ClientAddress Client;
        public long LastUsed;
        public BackendEndpoint? Endpoint;
    }
}
