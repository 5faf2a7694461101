using KubeProxyFast.Linux.Netlink.NfTables;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>An element of one of our maps, as <see cref="MapEntries.Write"/> sends it.</summary>
internal interface IMapEntry
{
    /// <summary>The map it belongs to.</summary>
    string Map { get; }

    /// <summary>Writes the key (at most 12 bytes) into <paramref name="buffer"/> and returns it.</summary>
    ReadOnlySpan<byte> WriteKey(Span<byte> buffer);

    /// <summary>Adds the element with its data (a verdict or a value) under <paramref name="key"/>.</summary>
    void AddTo(ref NfSetElements elements, ReadOnlySpan<byte> key);
}

/// <summary>Writes map elements, added or deleted, in as few messages as fit.</summary>
internal static class MapEntries
{
    /// <summary>Writes the entries of <paramref name="entries"/> that belong to <paramref name="map"/>.</summary>
    public static void Write<T>(NfBatch batch, string map, IReadOnlyList<T> entries, bool delete)
        where T : IMapEntry
    {
        var writer = NfSetElements.Begin(batch, RulesetNames.Table, map, delete);
        Span<byte> key = stackalloc byte[12];
        foreach (var entry in entries)
        {
            if (entry.Map != map)
            {
                continue;
            }

            var k = entry.WriteKey(key);
            if (delete)
            {
                writer.AddKey(k);
            }
            else
            {
                entry.AddTo(ref writer, k);
            }
        }

        writer.End();
    }
}
