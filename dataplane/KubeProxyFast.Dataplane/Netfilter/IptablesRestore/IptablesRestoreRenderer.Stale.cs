namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

public static partial class IptablesRestoreRenderer
{
    /// <summary>
    /// The chains of <see cref="IptablesRenderOptions.ExistingChains"/> that the snapshot does not
    /// render. A chain is keyed by its kind and its 80-bit hash in one <see cref="UInt128"/>, so
    /// telling live from stale costs no string per chain.
    /// </summary>
    private sealed class StaleChains
    {
        private const int KindShift = ChainHash.Bytes * 8;
        private static readonly string[] Prefixes = [KubeChains.ServicePortPrefix, KubeChains.ExternalPrefix, KubeChains.EndpointPrefix];

        private readonly HashSet<UInt128> _live;
        private readonly IptablesRenderOptions _options;

        public StaleChains(IptablesRenderOptions options, int capacity)
        {
            _options = options;
            _live = new HashSet<UInt128>(capacity);
        }

        public void AddLive(string prefix, ReadOnlySpan<byte> hash) => _live.Add(Key(Array.IndexOf(Prefixes, prefix), hash));

        /// <summary>Declares (and so flushes) every stale chain; the flush drops its jumps to other stale chains.</summary>
        public void WriteDeclarations(RestoreWriter w)
        {
            foreach (var name in _options.ExistingChains)
            {
                if (IsStale(name))
                {
                    w.Text(":");
                    w.Text(name);
                    w.Text(" - [0:0]\n");
                }
            }
        }

        /// <summary>Deletes every stale chain; last in the table, after every rule that jumped to it was rewritten.</summary>
        public void WriteDeletions(RestoreWriter w)
        {
            foreach (var name in _options.ExistingChains)
            {
                if (IsStale(name))
                {
                    w.Text("-X ");
                    w.Text(name);
                    w.EndLine();
                }
            }
        }

        private bool IsStale(string name) => TryKey(name, out var key) && !_live.Contains(key);

        private static UInt128 Key(int kind, ReadOnlySpan<byte> hash)
        {
            UInt128 key = (uint)kind;
            foreach (var b in hash)
            {
                key = (key << 8) | b;
            }

            return key;
        }

        /// <summary>Parses <c>KUBE-SVC-</c>/<c>KUBE-EXT-</c>/<c>KUBE-SEP-</c> and 16 base32 characters; anything else is not ours to delete.</summary>
        private static bool TryKey(string name, out UInt128 key)
        {
            key = 0;
            var kind = Array.FindIndex(Prefixes, p => name.StartsWith(p, StringComparison.Ordinal));
            if (kind < 0 || name.Length != Prefixes[kind].Length + ChainHash.Chars)
            {
                return false;
            }

            UInt128 bits = 0;
            foreach (var c in name.AsSpan(Prefixes[kind].Length))
            {
                int value = c switch
                {
                    >= 'A' and <= 'Z' => c - 'A',
                    >= '2' and <= '7' => c - '2' + 26,
                    _ => -1,
                };
                if (value < 0)
                {
                    return false;
                }

                bits = (bits << 5) | (uint)value;
            }

            key = ((UInt128)(uint)kind << KindShift) | bits;
            return true;
        }
    }
}
