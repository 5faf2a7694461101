using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>What the kernel holds in one table, read back over netlink.</summary>
/// <param name="Chains">Chain name → number of rules.</param>
/// <param name="Sets">Named set → element count (anonymous sets of rules are left out).</param>
/// <param name="Expressions">How often each expression (kernel name) appears in the table's rules.</param>
public sealed record NfTableContents(IReadOnlyDictionary<string, int> Chains, IReadOnlyDictionary<string, int> Sets, IReadOnlyDictionary<string, int> Expressions);

/// <summary>Reads a table back (chains, rules, sets, elements) to verify what a sync programmed.</summary>
public static class NfTableReader
{
    private const ushort NFTA_SET_ELEM_LIST_ELEMENTS = 3;

    /// <summary>The table's contents, or null when the table does not exist.</summary>
    public static NfTableContents? Read(NfTablesConnection connection, string table)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // A dump filtered by a table that does not exist is empty, not an error: ask first.
        if (!TableExists(connection, table))
        {
            return null;
        }

        var chains = new Dictionary<string, int>();
        connection.Dump(NFT_MSG_GETCHAIN, "chains of " + table, w => w.PutString(NFTA_CHAIN_TABLE, table), (in NetlinkMessage m) =>
        {
            var attributes = m.Attributes;
            if (attributes.FindString(NFTA_CHAIN_TABLE) == table && attributes.FindString(NFTA_CHAIN_NAME) is { } name)
            {
                chains[name] = 0;
            }
        });

        var expressions = new Dictionary<string, int>();
        connection.Dump(NFT_MSG_GETRULE, "rules of " + table, w => w.PutString(NFTA_RULE_TABLE, table), (in NetlinkMessage m) =>
        {
            var attributes = m.Attributes;
            if (attributes.FindString(NFTA_RULE_TABLE) != table || attributes.FindString(NFTA_RULE_CHAIN) is not { } chain)
            {
                return;
            }

            chains[chain] = chains.GetValueOrDefault(chain) + 1;
            if (attributes.TryFind(NFTA_RULE_EXPRESSIONS, out var list))
            {
                foreach (var element in list.Nested)
                {
                    if (element.Nested.FindString(NFTA_EXPR_NAME) is { } name)
                    {
                        expressions[name] = expressions.GetValueOrDefault(name) + 1;
                    }
                }
            }
        });

        var sets = new Dictionary<string, int>();
        connection.Dump(NFT_MSG_GETSET, "sets of " + table, w => w.PutString(NFTA_SET_TABLE, table), (in NetlinkMessage m) =>
        {
            var attributes = m.Attributes;
            if (attributes.FindString(NFTA_SET_TABLE) == table && attributes.FindString(NFTA_SET_NAME) is { } name &&
                !(attributes.TryFind(NFTA_SET_FLAGS, out var flags) && (flags.AsU32() & NFT_SET_ANONYMOUS) != 0))
            {
                sets[name] = 0;
            }
        });

        foreach (var set in sets.Keys.ToList())
        {
            var count = 0;
            connection.Dump(NFT_MSG_GETSETELEM, $"elements of {table}/{set}", w =>
            {
                w.PutString(NFTA_SET_ELEM_LIST_TABLE, table);
                w.PutString(NFTA_SET_ELEM_LIST_SET, set);
            }, (in NetlinkMessage m) =>
            {
                if (m.Attributes.TryFind(NFTA_SET_ELEM_LIST_ELEMENTS, out var elements))
                {
                    foreach (var _ in elements.Nested)
                    {
                        count++;
                    }
                }
            });
            sets[set] = count;
        }

        return new NfTableContents(chains, sets, expressions);
    }

    private static bool TableExists(NfTablesConnection connection, string table)
    {
        var found = false;
        connection.Dump(NFT_MSG_GETTABLE, "tables", null, (in NetlinkMessage m) => found |= m.Attributes.FindString(NFTA_TABLE_NAME) == table);
        return found;
    }
}
