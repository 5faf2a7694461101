using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>Table messages (<c>nft add table ip kpf</c>, <c>nft delete table ip kpf</c>).</summary>
public static class NfTable
{
    /// <summary>Adds the table; an existing one is kept (no NLM_F_EXCL, as <c>nft add table</c> sends it).</summary>
    public static void Add(NfBatch batch, string table)
    {
        var m = batch.Begin(NFT_MSG_NEWTABLE, 0, NfOperation.AddTable, table, "");
        batch.Writer.PutString(NFTA_TABLE_NAME, table);
        batch.Writer.PutU32(NFTA_TABLE_FLAGS, 0);
        batch.End(m);
    }

    /// <summary>Deletes the table with everything in it.</summary>
    public static void Delete(NfBatch batch, string table)
    {
        var m = batch.Begin(NFT_MSG_DELTABLE, 0, NfOperation.DeleteTable, table, "");
        batch.Writer.PutString(NFTA_TABLE_NAME, table);
        batch.End(m);
    }
}
