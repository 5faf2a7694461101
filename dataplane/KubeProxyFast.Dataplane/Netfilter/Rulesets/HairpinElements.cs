using System.Net;
using KubeProxyFast.Linux.Netlink.NfTables;

namespace KubeProxyFast.Dataplane.Netfilter.Rulesets;

/// <summary>Elements of <see cref="RulesetNames.HairpinSet"/>: <c>ip . ip</c>, an endpoint address twice.</summary>
internal static class HairpinElements
{
    /// <summary>Adds or deletes the element of each of <paramref name="addresses"/>.</summary>
    public static void Write(NfBatch batch, IEnumerable<IPAddress> addresses, bool delete)
    {
        var writer = NfSetElements.Begin(batch, RulesetNames.Table, RulesetNames.HairpinSet, delete);
        Span<byte> key = stackalloc byte[8];
        foreach (var address in addresses)
        {
            _ = address.TryWriteBytes(key, out _);
            key[..4].CopyTo(key[4..]);
            writer.AddKey(key);
        }

        writer.End();
    }
}
