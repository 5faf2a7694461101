using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>
/// A rule being written: <see cref="Begin"/> opens the message and its expression list, the
/// classes in <c>Expressions/</c> append to <see cref="Writer"/>, <see cref="End"/> closes both.
/// Appended at the end of the chain, as <c>nft add rule</c>.
/// </summary>
public readonly struct NfRule
{
    private readonly NfBatch _batch;
    private readonly int _message;
    private readonly int _expressions;

    private NfRule(NfBatch batch, int message, int expressions)
    {
        _batch = batch;
        _message = message;
        _expressions = expressions;
    }

    /// <summary>Where the expressions are written.</summary>
    public NetlinkWriter Writer => _batch.Writer;

    /// <summary>Starts a rule in <paramref name="chain"/>.</summary>
    public static NfRule Begin(NfBatch batch, string table, string chain)
    {
        var w = batch.Writer;
        var m = batch.Begin(NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, NfOperation.AddRule, table, chain);
        w.PutString(NFTA_RULE_TABLE, table);
        w.PutString(NFTA_RULE_CHAIN, chain);
        return new NfRule(batch, m, w.BeginNested(NFTA_RULE_EXPRESSIONS));
    }

    /// <summary>Closes the expression list and the message.</summary>
    public void End()
    {
        _batch.Writer.EndNested(_expressions);
        _batch.End(_message);
    }
}
