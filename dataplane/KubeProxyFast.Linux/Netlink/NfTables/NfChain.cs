using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>Chain messages: base chains on a hook, regular chains, flush and delete.</summary>
public static class NfChain
{
    /// <summary>A base chain: <c>add chain ip kpf output { type nat hook output priority -100 ; }</c>.</summary>
    public static void AddBase(NfBatch batch, string table, string chain, string type, uint hook, int priority)
    {
        var w = batch.Writer;
        var m = batch.Begin(NFT_MSG_NEWCHAIN, NLM_F_CREATE, NfOperation.AddChain, table, chain);
        w.PutString(NFTA_CHAIN_TABLE, table);
        w.PutString(NFTA_CHAIN_NAME, chain);
        w.PutString(NFTA_CHAIN_TYPE, type);
        var h = w.BeginNested(NFTA_CHAIN_HOOK);
        w.PutU32(NFTA_HOOK_HOOKNUM, hook);
        w.PutU32(NFTA_HOOK_PRIORITY, unchecked((uint)priority));
        w.EndNested(h);
        batch.End(m);
    }

    /// <summary>A regular chain, reached by jump or goto: <c>add chain ip kpf svc</c>.</summary>
    public static void Add(NfBatch batch, string table, string chain)
    {
        var m = batch.Begin(NFT_MSG_NEWCHAIN, NLM_F_CREATE, NfOperation.AddChain, table, chain);
        batch.Writer.PutString(NFTA_CHAIN_TABLE, table);
        batch.Writer.PutString(NFTA_CHAIN_NAME, chain);
        batch.End(m);
    }

    /// <summary>Removes every rule of the chain (<c>flush chain</c>): a rule delete naming only the chain.</summary>
    public static void Flush(NfBatch batch, string table, string chain)
    {
        var m = batch.Begin(NFT_MSG_DELRULE, 0, NfOperation.FlushChain, table, chain);
        batch.Writer.PutString(NFTA_RULE_TABLE, table);
        batch.Writer.PutString(NFTA_RULE_CHAIN, chain);
        batch.End(m);
    }

    /// <summary>Deletes an empty, unreferenced chain.</summary>
    public static void Delete(NfBatch batch, string table, string chain)
    {
        var m = batch.Begin(NFT_MSG_DELCHAIN, 0, NfOperation.DeleteChain, table, chain);
        batch.Writer.PutString(NFTA_CHAIN_TABLE, table);
        batch.Writer.PutString(NFTA_CHAIN_NAME, chain);
        batch.End(m);
    }
}
